import { z } from 'zod'

/** One request of the contract: its input and output schemas, and who serves it. */
export interface RequestSpec<I extends z.ZodType, O extends z.ZodType, H extends boolean = boolean> {
  input: I
  output: O
  /**
   * Host requests need the host's own UI (a native dialog, the system browser). The Electron shell
   * and the web bridge each implement them their own way; every other request is served by the
   * same Node services in both.
   */
  host: H
}

export function request<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): RequestSpec<I, O, false>
export function request<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  options: { host: true },
): RequestSpec<I, O, true>
export function request(
  input: z.ZodType,
  output: z.ZodType,
  options?: { host: true },
): RequestSpec<z.ZodType, z.ZodType> {
  return { input, output, host: options?.host ?? false }
}

/** The input of a request that takes none. */
export const none = z.undefined()
