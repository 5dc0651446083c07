import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ConstantContactError } from '../constant-contact/errors'

/**
 * The one-shot redirect listener of RFC 8252 §7.3: listens on 127.0.0.1 only, accepts the single
 * callback whose `state` matches, then closes. Answers with a short page telling the person to go
 * back to Splitsend.
 */
export interface LoopbackReceiver {
  redirectUri: string
  /** Resolves with the authorization code; rejects if the person declines, on timeout or abort. */
  code: Promise<string>
  close(): void
}

export interface LoopbackOptions {
  state: string
  /** 0 (default): any free port, as RFC 8252 recommends. */
  port?: number
  timeoutMs?: number
  signal?: AbortSignal
}

export const CALLBACK_PATH = '/callback'

/**
 * The loopback port for signing in to the real Constant Contact. Constant Contact only sends the
 * person back to a redirect address registered for the app in its developer portal, matched
 * exactly, so the port is fixed rather than any free one; an administrator can choose another with
 * SPLITSEND_REDIRECT_PORT (and register that address instead).
 */
export const DEFAULT_REDIRECT_PORT = 47611

export function loopbackRedirectUri(port: number): string {
  return `http://127.0.0.1:${port}${CALLBACK_PATH}`
}

/** SPLITSEND_REDIRECT_PORT when it is a usable port number, else undefined. */
export function redirectPortFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.SPLITSEND_REDIRECT_PORT?.trim()
  if (!text || !/^\d+$/.test(text)) return undefined
  const port = Number(text)
  return port >= 1024 && port <= 65535 ? port : undefined
}

export async function startLoopbackReceiver(options: LoopbackOptions): Promise<LoopbackReceiver> {
  let settle: { resolve: (code: string) => void; reject: (e: unknown) => void }
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }))
  code.catch(() => {}) // callers await it; this only stops an unhandled-rejection warning if they never do

  const server = createServer((req, res) => {
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
      finish(() =>
        settle.reject(
          error === 'access_denied'
            ? new ConstantContactError(
                'cc_sign_in_cancelled',
                'Constant Contact sign-in was cancelled, so Splitsend is not connected.',
                'Press Connect again when you are ready.',
              )
            : new ConstantContactError(
                'cc_sign_in_failed',
                'Constant Contact did not let Splitsend connect.',
                `Press Connect again. If it keeps happening, check the API key. (${q.get('error_description') ?? error ?? 'no code'})`,
              ),
        ),
      )
      return
    }
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(page('Splitsend is connected', 'You can close this tab and go back to Splitsend.'))
    finish(() => settle.resolve(authCode))
  })

  let timer: ReturnType<typeof setTimeout> | undefined
  const onAbort = (): void => finish(() => settle.reject(options.signal!.reason))
  let done = false
  function finish(action: () => void): void {
    if (done) return
    done = true
    if (timer) clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
    server.close()
    server.closeAllConnections()
    action()
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portInUse(options.port ?? 0) : error),
    )
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
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

  return { redirectUri: loopbackRedirectUri(port), code, close: () => finish(() => settle.reject(new Error('closed'))) }
}

function portInUse(port: number): ConstantContactError {
  return new ConstantContactError(
    'cc_sign_in_failed',
    `Splitsend can’t receive the sign-in: another program on this computer is using port ${port}, where Constant Contact sends you back.`,
    'Close that program (or restart the computer) and press Connect again. An administrator can choose another port with the SPLITSEND_REDIRECT_PORT setting, and register that address in the Constant Contact developer portal.',
  )
}

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>body{font:18px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style></head><body><h1>${title}</h1><p>${text}</p></body></html>`
}
