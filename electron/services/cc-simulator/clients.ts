import { timingSafeEqual } from 'node:crypto'

/**
 * Applications as Constant Contact's developer portal registers them, for the local Constant
 * Contact's authorization server. An application is set up for one sign-in flow; a PKCE application
 * lists the redirect URIs it may send people back to (matched exactly, as Okta does); the practice
 * account's application also has a secret.
 */
export type SignInFlow = 'pkce' | 'device'

export interface ClientRegistration {
  clientId: string
  /** The one flow the application is set up for; absent: either (the practice account's application). */
  flow?: SignInFlow
  /**
   * The redirect URIs registered for a PKCE application. Absent: any loopback or https address (a
   * convenience of the local Constant Contact, used by the practice account, whose port changes).
   */
  redirectUris?: string[]
  /** A client secret the token and device endpoints require (HTTP Basic or `client_secret`). */
  secret?: string
}

/** Why the authorization server refuses a client, in Okta's words. */
export type ClientRefusal =
  | { kind: 'unknown_client' }
  | { kind: 'bad_secret' }
  | { kind: 'deactivated' }
  | { kind: 'wrong_flow'; configured: SignInFlow }

const GRANT_TYPES: Record<SignInFlow, string> = {
  pkce: 'authorization_code, refresh_token',
  device: 'urn:ietf:params:oauth:grant-type:device_code, refresh_token',
}

export class ClientRegistry {
  private readonly clients = new Map<string, ClientRegistration>()
  private readonly deactivated = new Set<string>()

  constructor(
    registrations: readonly ClientRegistration[],
    /** Refuse every client ID that isn't registered, as the real service does. */
    readonly onlyRegistered: boolean,
  ) {
    for (const registration of registrations) this.register(registration)
  }

  register(registration: ClientRegistration): void {
    this.clients.set(registration.clientId, { ...registration })
    this.deactivated.delete(registration.clientId)
  }

  /** The application is removed in the developer portal: its client ID stops working. */
  deactivate(clientId: string): void {
    this.deactivated.add(clientId)
  }

  get(clientId: string): ClientRegistration | undefined {
    return this.clients.get(clientId)
  }

  /** Whether this client may start a sign-in of this flow (the authorize or device endpoint). */
  refusal(clientId: string, flow: SignInFlow): ClientRefusal | undefined {
    const known = this.known(clientId)
    if (known) return known
    const configured = this.clients.get(clientId)?.flow
    return configured && configured !== flow ? { kind: 'wrong_flow', configured } : undefined
  }

  /** Client authentication at the token and device endpoints: the ID, and the secret if it has one. */
  authenticate(clientId: string, presentedSecret: string | undefined): ClientRefusal | undefined {
    const known = this.known(clientId)
    if (known) return known
    const secret = this.clients.get(clientId)?.secret
    if (secret !== undefined && !sameSecret(secret, presentedSecret ?? '')) return { kind: 'bad_secret' }
    return undefined
  }

  /**
   * The redirect URIs a sign-in may use: exactly the registered ones; none for a device-flow
   * application (the portal asks for none); `undefined`: any loopback or https address.
   */
  redirectUrisOf(clientId: string): readonly string[] | undefined {
    const client = this.clients.get(clientId)
    if (!client) return undefined
    return client.redirectUris ?? (client.flow === 'device' ? [] : undefined)
  }

  private known(clientId: string): ClientRefusal | undefined {
    if (this.deactivated.has(clientId)) return { kind: 'deactivated' }
    if (this.onlyRegistered && !this.clients.has(clientId)) return { kind: 'unknown_client' }
    return undefined
  }
}

/** The OAuth error body Okta answers a refused client with. */
export function refusalBody(refusal: ClientRefusal): { status: number; error: string; description: string } {
  switch (refusal.kind) {
    case 'unknown_client':
    case 'deactivated':
      return { status: 401, error: 'invalid_client', description: "Invalid value for 'client_id' parameter." }
    case 'bad_secret':
      return {
        status: 401,
        error: 'invalid_client',
        description: 'Client authentication failed. Either the client or the client credentials are invalid.',
      }
    case 'wrong_flow':
      return {
        status: 400,
        error: 'unauthorized_client',
        description: `The client is not authorized to use the provided grant type. Configured grant types: [${GRANT_TYPES[refusal.configured]}].`,
      }
  }
}

/** The client ID and secret of a token or device request: HTTP Basic, else the form's fields. */
export function clientCredentials(
  authorization: string | undefined,
  form: URLSearchParams,
): { clientId: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1]
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0)
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      }
  }
  const secret = form.get('client_secret')
  return { clientId: form.get('client_id') ?? '', ...(secret !== null ? { secret } : {}) }
}

function sameSecret(expected: string, presented: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(presented)
  return a.length === b.length && timingSafeEqual(a, b)
}
