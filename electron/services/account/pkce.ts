import { createHash, randomBytes } from 'node:crypto'

/** A PKCE pair (RFC 7636, S256): the verifier stays in this process, the challenge goes to the browser. */
export interface Pkce {
  verifier: string
  challenge: string
}

export function createPkce(): Pkce {
  const verifier = randomBytes(48).toString('base64url') // 64 characters, within 43–128
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** An unguessable `state` that ties the browser's answer to this sign-in. */
export function randomState(): string {
  return randomBytes(24).toString('base64url')
}
