import type { z } from 'zod'
import { describeIssue } from '../../../shared/routines/schema'

/**
 * A value Splitsend wrote as JSON and reads back (a file, a keychain entry), checked against its
 * schema: undefined when it isn't JSON or doesn't match, so the caller does what it does when there
 * is none (rebuild, guess, ask the person to sign in again) instead of trusting a damaged value.
 */
export function parseJsonAs<T extends z.ZodType>(schema: T, text: string): z.infer<T> | undefined {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return undefined
  }
  const parsed = schema.safeParse(data)
  return parsed.success ? parsed.data : undefined
}

/** What is wrong with a value its schema refused, in words for a message: the first problem, and where. */
export function schemaProblem(error: z.ZodError): string {
  const issue = error.issues[0]!
  const field = issue.path.map(String).join(' › ')
  return field ? `the field “${field}” ${describeIssue(issue)}` : describeIssue(issue)
}
