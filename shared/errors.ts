import { z } from 'zod'

/**
 * An error meant for the person using Splitsend: `message` says what is wrong in plain words,
 * `hint` what to do about it. It crosses the contract as plain data ({@link ContractErrorData}),
 * so both transports and the command line show it the same way.
 */
export const ContractErrorDataSchema = z.object({
  /** A stable machine-readable code, e.g. `not_a_spreadsheet`, `keychain_unavailable`. */
  code: z.string(),
  /** What is wrong, in words a non-technical person understands. */
  message: z.string(),
  /** What the person can do about it. */
  hint: z.string().optional(),
})
export type ContractErrorData = z.infer<typeof ContractErrorDataSchema>

export class UserFacingError extends Error implements ContractErrorData {
  readonly code: string
  readonly hint?: string

  constructor(code: string, message: string, hint?: string) {
    super(message)
    this.name = 'UserFacingError'
    this.code = code
    if (hint !== undefined) this.hint = hint
  }

  toData(): ContractErrorData {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint }
  }
}

/** Turns anything thrown into data that is safe to show: unexpected errors keep no internals. */
export function toErrorData(error: unknown): ContractErrorData {
  if (error instanceof UserFacingError) return error.toData()
  return {
    code: 'unexpected',
    message: 'Something went wrong inside Splitsend.',
    hint: 'Try again. If it keeps happening, restart Splitsend; your files are not changed.',
  }
}
