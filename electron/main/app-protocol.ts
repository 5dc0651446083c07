import { protocol, net } from 'electron'
import { join, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CONTENT_SECURITY_POLICY } from '../../shared/security-policy'

/**
 * The renderer is served from `splitsend://app/…` rather than file://, so the page has an origin of
 * its own that the sender guard and navigation checks can compare against, and it can read nothing
 * outside the built renderer folder.
 */
const APP_SCHEME = 'splitsend'
const APP_HOST = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/** Must run before the app is ready. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false },
    },
  ])
}

export function serveRendererFrom(rendererDir: string): void {
  const root = resolve(rendererDir)
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppFile(root, request.url)
    if (!target) return new Response('Not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(target).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}

/** Maps an app URL to a file inside `root`, or undefined for anything outside it. */
export function resolveAppFile(root: string, url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined
  let pathname: string
  try {
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    return undefined
  }
  const target = resolve(join(root, pathname === '/' ? 'index.html' : pathname))
  return target.startsWith(root + sep) ? target : undefined
}
