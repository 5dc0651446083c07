import type { z } from 'zod'

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
