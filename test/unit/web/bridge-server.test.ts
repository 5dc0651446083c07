import { mkdirSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createAppServices } from '../../../electron/services/app-services'
import type { Handlers } from '../../../electron/services/contract-dispatch'
import { startWebBridge, type WebBridge } from '../../../electron/web/bridge-server'
import { tempDir } from '../temp'

const TOKEN = 'test-token-0123456789'
let bridge: WebBridge
let origin: string
const services = createAppServices({
  host: 'web',
  version: '1.2.3',
  dataDir: tempDir('data'),
  emit: (event, payload) => bridge.broadcast(event, payload),
})

beforeAll(async () => {
  const rendererDir = tempDir('renderer')
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Splitsend</title>')
  mkdirSync(join(rendererDir, 'assets'))
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, '..', 'outside-secret.txt'), 'secret')
  const handlers = {
    ...services.handlers,
    'files.pick': () => null,
    'links.openExternal': () => false,
    'dialog.chooseFolder': () => ({ folder: null, cancelled: false }),
    'report.open': () => false,
    'report.save': () => ({ saved: false, path: null }),
    'report.savePdf': () => ({ saved: false, path: null }),
  } as Handlers
  bridge = await startWebBridge({ rendererDir, handlers, files: services.files, token: TOKEN, port: 0 })
  origin = `http://127.0.0.1:${bridge.port}`
})
afterAll(async () => {
  await bridge.close()
  await services.dispose()
})

/** A raw HTTP request, so tests can set Host and Origin headers a browser would not let a page forge. */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: bridge.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

function connect(query: string, headers: Record<string, string> = { Origin: origin }) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/bridge${query}`, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
}

function call(ws: WebSocket, id: number, request: string, input?: unknown) {
  return new Promise<any>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data))
      if (message.id === id) {
        ws.off('message', onMessage)
        resolve(message.envelope)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, request, input }))
  })
}

describe('the web bridge', () => {
  it('listens on the loopback address only', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/)
  })

  it('serves the renderer with the content security policy', async () => {
    const page = await raw('/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Splitsend</title>')
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'")
    expect((await raw('/assets/app.js')).status).toBe(200)
  })

  it('serves nothing outside the renderer folder', async () => {
    expect((await raw('/../outside-secret.txt')).status).toBe(404)
    expect((await raw('/%2e%2e/outside-secret.txt')).status).toBe(404)
    expect((await raw('/..%2Foutside-secret.txt')).status).toBe(404)
  })

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    expect((await raw('/', { headers: { Host: 'evil.example' } })).status).toBe(421)
  })

  it('pushes events to every connected page', async () => {
    const ws = await connect(`?token=${TOKEN}`)
    const received = new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))))
    bridge.broadcast('account.signIn', { kind: 'browser', url: 'https://authz.constantcontact.com/x' })
    expect(await received).toEqual({
      event: 'account.signIn',
      payload: { kind: 'browser', url: 'https://authz.constantcontact.com/x' },
    })
    ws.close()
  })

  it('carries the contract over the WebSocket for a page with the token', async () => {
    const ws = await connect(`?token=${TOKEN}`)
    expect(await call(ws, 1, 'app.info')).toMatchObject({
      ok: true,
      value: { name: 'Splitsend', host: 'web', version: '1.2.3' },
    })
    expect(await call(ws, 2, 'prepare.inspect', { fileId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    })
    expect(await call(ws, 3, 'no.such.request')).toMatchObject({ ok: false, error: { code: 'unknown_request' } })
    ws.close()
  })

  it('refuses a WebSocket without the right token, from another origin, or without an origin', async () => {
    await expect(connect('?token=wrong')).rejects.toThrow(/403/)
    await expect(connect('')).rejects.toThrow(/403/)
    await expect(connect(`?token=${TOKEN}`, { Origin: 'https://evil.example' })).rejects.toThrow(/403/)
    await expect(connect(`?token=${TOKEN}`, {})).rejects.toThrow(/403/)
  })

  it('accepts an uploaded file only with the token, then reads it like any other', async () => {
    const csv = 'Email;Flag\na@x.com;1\nb@x.com;0\n'
    const refused = await raw('/upload', { method: 'POST', headers: { 'x-splitsend-token': 'wrong' }, body: csv })
    expect(refused.status).toBe(403)
    const accepted = await raw('/upload', {
      method: 'POST',
      headers: {
        'x-splitsend-token': TOKEN,
        'x-splitsend-file-name': encodeURIComponent('../../My contacts.csv'),
        Origin: origin,
      },
      body: csv,
    })
    const attached = JSON.parse(accepted.body)
    expect(attached).toMatchObject({ ok: true, value: { name: 'My contacts.csv', sizeBytes: csv.length } })

    const ws = await connect(`?token=${TOKEN}`)
    const inspection = await call(ws, 1, 'prepare.inspect', { fileId: attached.value.fileId })
    expect(inspection).toMatchObject({
      ok: true,
      value: { fileName: 'My contacts.csv', delimiter: ';', complete: true },
    })
    expect(inspection.value.columns.map((c: { name: string }) => c.name)).toEqual(['Email', 'Flag'])
    expect(inspection.value).not.toHaveProperty('path')
    ws.close()
  })
})
