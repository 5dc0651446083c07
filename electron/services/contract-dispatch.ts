import type { z } from 'zod'
import { requests, type Envelope, type RequestName, type RequestOutput } from '../../shared/contract'
import { toErrorData, UserFacingError } from '../../shared/errors'

/** What a handler receives: the request's input after run-time validation. */
export type RequestArgs<N extends RequestName> = z.output<(typeof requests)[N]['input']>
type RequestHandler<N extends RequestName> = (input: RequestArgs<N>) => Promise<RequestOutput<N>> | RequestOutput<N>
export type Handlers = { [N in RequestName]: RequestHandler<N> }

function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requests, name)
}

/**
 * Serves one request whichever transport carried it (Electron IPC or the web bridge's WebSocket):
 * validates the input against the contract, runs the handler, checks the output, and turns every
 * failure into an error envelope the renderer can show.
 */
export async function dispatchRequest(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
  log: (message: string, error?: unknown) => void = defaultLog,
): Promise<Envelope<unknown>> {
  if (!isRequestName(name)) {
    return failure(new UserFacingError('unknown_request', `Splitsend does not know the request “${name}”.`))
  }
  const spec = requests[name]
  const input = spec.input.safeParse(rawInput)
  if (!input.success) {
    log(`Rejected ${name}: invalid input`, input.error.issues)
    return failure(
      new UserFacingError(
        'invalid_request',
        'Splitsend received a request it could not understand, so it did nothing.',
        'Try again; if it keeps happening, restart Splitsend.',
      ),
    )
  }
  try {
    const handler = handlers[name] as (input: unknown) => unknown
    const value = await handler(input.data)
    const output = spec.output.safeParse(value)
    if (!output.success) {
      log(`Handler for ${name} returned a value that does not match the contract`, output.error.issues)
      return failure(new Error('contract output mismatch'))
    }
    return { ok: true, value: output.data }
  } catch (error) {
    if (!(error instanceof UserFacingError)) log(`Request ${name} failed`, error)
    return failure(error)
  }
}

function failure(error: unknown): Envelope<never> {
  return { ok: false, error: toErrorData(error) }
}

function defaultLog(message: string, error?: unknown): void {
  console.error(`[splitsend] ${message}`, error ?? '')
}
