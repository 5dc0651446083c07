import { z } from 'zod'
import { normalizeEndpoints, REAL_ENDPOINTS, type CcEndpoints } from '../constant-contact/endpoints'

/**
 * Which Constant Contact an account lives on. Practice is named rather than addressed: the local
 * Constant Contact gets a new port each time it starts, but its account (and keychain entries) stay.
 */
export const EndpointRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('real') }),
  z.object({ kind: z.literal('practice') }),
  z.object({ kind: z.literal('custom'), apiBase: z.string(), authBase: z.string() }),
])
export type EndpointRef = z.infer<typeof EndpointRefSchema>

/** What a caller may pass: `'real'`, `'practice'`, or explicit base URLs. */
export type EndpointChoice = 'real' | 'practice' | CcEndpoints

export function toEndpointRef(choice: EndpointChoice): EndpointRef {
  if (choice === 'real') return { kind: 'real' }
  if (choice === 'practice') return { kind: 'practice' }
  const normalized = normalizeEndpoints(choice)
  if (normalized.apiBase === REAL_ENDPOINTS.apiBase && normalized.authBase === REAL_ENDPOINTS.authBase)
    return { kind: 'real' }
  return { kind: 'custom', ...normalized }
}

/** The keychain key part for an endpoint: secrets of different endpoints never share an entry. */
export function endpointKey(ref: EndpointRef): string {
  return ref.kind === 'custom' ? `custom ${ref.apiBase} ${ref.authBase}` : ref.kind
}
