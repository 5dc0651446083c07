import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ConstantContactError } from '../constant-contact/errors'
import { CALLBACK_PATH, redirectUriOf, type RedirectHost } from './redirect'
import { appSetUpForDevice, isWrongFlow } from './sign-in-errors'

/**
 * The one-shot redirect listener of RFC 8252 §7.3: listens on the loopback interface only, accepts
 * the single callback whose `state` matches, then closes. Answers with a short page telling the
 * person to go back to Splitsend. For `localhost` it listens on both 127.0.0.1 and ::1, since the
 * browser may resolve the name to either.
 */
export interface LoopbackReceiver {
  redirectUri: string
  /** Resolves with the authorization code; rejects if the person declines, on timeout or abort. */
  code: Promise<string>
  close(): void
}

export interface LoopbackOptions {
  state: string
  /** The host name of the redirect address (default 127.0.0.1). */
  host?: RedirectHost
  /** 0 (default): any free port, as RFC 8252 recommends. */
  port?: number
  timeoutMs?: number
  signal?: AbortSignal
}

export async function startLoopbackReceiver(options: LoopbackOptions): Promise<LoopbackReceiver> {
  let settle: { resolve: (code: string) => void; reject: (e: unknown) => void }
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }))
  code.catch(() => {}) // callers await it; this only stops an unhandled-rejection warning if they never do

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found')
      return
    }
    const q = url.searchParams
    if (q.get('state') !== options.state) {
      // Not our sign-in (a stale tab or someone else's link): refuse it and keep waiting.
      res
        .writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(page('This sign-in link is out of date', 'Go back to Splitsend and press Connect again.'))
      return
    }
    const error = q.get('error')
    const authCode = q.get('code')
    if (error || !authCode) {
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(page('Splitsend was not connected', 'You can close this tab and go back to Splitsend.'))
      finish(() => settle.reject(refusalFromRedirect(error, q.get('error_description'), redirectUri)))
      return
    }
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(page('Splitsend is connected', 'You can close this tab and go back to Splitsend.'))
    finish(() => settle.resolve(authCode))
  }

  let servers: Server[] = []
  let redirectUri = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  const onAbort = (): void => finish(() => settle.reject(options.signal!.reason))
  let done = false
  function finish(action: () => void): void {
    if (done) return
    done = true
    if (timer) clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
    for (const server of servers) {
      server.close()
      server.closeAllConnections()
    }
    action()
  }

  const host = options.host ?? '127.0.0.1'
  servers = await listenOnLoopback(host, options.port ?? 0, answer)
  const port = (servers[0]!.address() as AddressInfo).port
  redirectUri = redirectUriOf({ host, port })
  timer = setTimeout(
    () =>
      finish(() =>
        settle.reject(
          new ConstantContactError(
            'cc_sign_in_failed',
            'Constant Contact sign-in took too long, so Splitsend stopped waiting.',
            'Press Connect again and finish signing in within a few minutes.',
          ),
        ),
      ),
    options.timeoutMs ?? 10 * 60_000,
  )
  timer.unref?.()
  if (options.signal?.aborted) onAbort()
  else options.signal?.addEventListener('abort', onAbort, { once: true })

  return {
    redirectUri,
    code,
    close: () => finish(() => settle.reject(new Error('closed'))),
  }
}

/** The error the authorization server sent the browser back with, for the person. */
function refusalFromRedirect(
  error: string | null,
  description: string | null,
  redirectUri: string,
): ConstantContactError {
  if (error === 'access_denied')
    return new ConstantContactError(
      'cc_sign_in_cancelled',
      'Constant Contact sign-in was cancelled, so Splitsend is not connected.',
      'Press Connect again when you are ready.',
    )
  if (error && isWrongFlow(error)) return appSetUpForDevice(redirectUri)
  return new ConstantContactError(
    'cc_sign_in_failed',
    'Constant Contact did not let Splitsend connect.',
    `Press Connect again. If it keeps happening, check the API key. (${description ?? error ?? 'no code'})`,
  )
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/**
 * Listens on 127.0.0.1, and for `localhost` also on ::1 at the same port: whichever address the
 * browser picks for the name reaches Splitsend, never another program that took the other one.
 */
async function listenOnLoopback(host: RedirectHost, port: number, handler: Handler): Promise<Server[]> {
  for (let attempt = 1; ; attempt++) {
    const v4 = await listen(createServer(handler), port, '127.0.0.1')
    if (host === '127.0.0.1') return [v4]
    const chosen = (v4.address() as AddressInfo).port
    try {
      return [v4, await listen(createServer(handler), chosen, '::1')]
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return [v4] // no IPv6 on this computer
      v4.close()
      // A free port on 127.0.0.1 that is taken on ::1: pick another (only when any port will do).
      if (port === 0 && code === 'EADDRINUSE' && attempt < 5) continue
      throw code === 'EADDRINUSE' ? portInUse(chosen) : error
    }
  }
}

function listen(server: Server, port: number, address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' && port !== 0 && address === '127.0.0.1' ? portInUse(port) : error),
    )
    server.listen(port, address, () => resolve(server))
  })
}

function portInUse(port: number): ConstantContactError {
  return new ConstantContactError(
    'cc_sign_in_failed',
    `Splitsend can’t receive the sign-in: another program on this computer is using port ${port}, where Constant Contact sends you back.`,
    'Close that program (or restart the computer) and press Connect again. Or choose another port for the redirect address (and register that address for the application in Constant Contact’s developer portal).',
  )
}

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>body{font:18px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style></head><body><h1>${title}</h1><p>${text}</p></body></html>`
}
