import { RedirectAddressSchema, type RedirectAddress } from '../../../shared/channels/account'
import { UserFacingError } from '../../../shared/errors'

/**
 * The address Constant Contact sends the browser back to after signing in: a loopback listener of
 * Splitsend's on this computer (RFC 8252 §7.3). Constant Contact sends people back only to a
 * redirect URI registered for the application in its developer portal, matched exactly, so the
 * port is fixed, and the host is the one registered: `localhost` unless the administrator chose
 * `127.0.0.1`. The path is always `/callback`.
 */
export type RedirectHost = RedirectAddress['host']

/** The contract's (a port of 0 here: any free port, only where nothing needs to be registered). */
export type { RedirectAddress }

export const CALLBACK_PATH = '/callback'

/** The port unless the person chose another (register http://localhost:47611/callback). */
export const DEFAULT_REDIRECT_PORT = 47611

export const DEFAULT_REDIRECT: RedirectAddress = Object.freeze({ host: 'localhost', port: DEFAULT_REDIRECT_PORT })

export function redirectUriOf(address: RedirectAddress): string {
  return `http://${address.host}:${address.port}${CALLBACK_PATH}`
}

/**
 * Reads a redirect address as a person types it (`http://localhost:47611/callback`,
 * `127.0.0.1:50000`, …) into the two things that can change: the host and the port.
 */
export function parseRedirectUri(text: string): RedirectAddress {
  const trimmed = text.trim()
  let url: URL | undefined
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`)
  } catch {
    url = undefined
  }
  const host = url?.hostname
  if (
    !url ||
    url.protocol !== 'http:' ||
    (host !== 'localhost' && host !== '127.0.0.1') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== CALLBACK_PATH)
  ) {
    throw invalidRedirect(
      `“${trimmed}” can’t be Splitsend’s redirect address: it must be http://localhost:PORT/callback or http://127.0.0.1:PORT/callback.`,
    )
  }
  const port = Number(url.port)
  if (!url.port || !validRedirectPort(port))
    throw invalidRedirect(
      `The redirect address needs a port number from 1024 to 65535, as in ${redirectUriOf(DEFAULT_REDIRECT)}.`,
    )
  return { host: host as RedirectHost, port }
}

function validRedirectPort(port: number): boolean {
  return RedirectAddressSchema.shape.port.safeParse(port).success
}

/** SPLITSEND_REDIRECT_PORT when it is a usable port number, else undefined. */
export function redirectPortFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.SPLITSEND_REDIRECT_PORT?.trim()
  if (!text || !/^\d+$/.test(text)) return undefined
  const port = Number(text)
  return validRedirectPort(port) ? port : undefined
}

function invalidRedirect(message: string): UserFacingError {
  return new UserFacingError(
    'redirect_uri_invalid',
    message,
    'Use the address registered for the application in Constant Contact’s developer portal.',
  )
}
