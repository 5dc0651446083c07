import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createAppServices } from '../../../electron/services/app-services'
import type { WebBridge } from '../../../electron/web/bridge-server'
import { Slots } from '../../../electron/web/web-handlers'
import { startTestBridge } from './start-bridge'
import { tempDir } from '../temp'

const TOKEN = 'test-token-0123456789'
const MAX_UPLOAD_BYTES = 64 * 1024
let bridge: WebBridge
let origin: string
const uploadsRoot = tempDir('uploads')
const services = createAppServices({
  host: 'web',
  version: '1.2.3',
  dataDir: tempDir('data'),
  tempDir: uploadsRoot,
  emit: (event, payload) => bridge.broadcast(event, payload),
})

beforeAll(async () => {
  const rendererDir = tempDir('renderer')
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Splitsend</title>')
  mkdirSync(join(rendererDir, 'assets'))
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, '..', 'outside-secret.txt'), 'secret')
  bridge = await startTestBridge(services, { rendererDir, token: TOKEN, maxUploadBytes: MAX_UPLOAD_BYTES })
  origin = `http://127.0.0.1:${bridge.port}`
})
afterAll(async () => {
  await bridge.close()
  await services.dispose()
})

/** A raw HTTP request, so tests can set Host and Origin headers a browser would not let a page forge. */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer | Buffer[] } = {},
) {
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
    // An array is sent piece by piece without a length (chunked), as a stream would be.
    if (Array.isArray(options.body)) {
      for (const piece of options.body) req.write(piece)
      req.end()
    } else req.end(options.body)
  })
}

const uploadHeaders = (name: string, extra: Record<string, string> = {}) => ({
  'x-splitsend-token': TOKEN,
  'x-splitsend-file-name': encodeURIComponent(name),
  Origin: origin,
  ...extra,
})

/** Every file under the bridge's private upload folder. */
function filesInUploads(): string[] {
  return readdirSync(uploadsRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
}

/** A text frame as a browser sends it (masked), with any payload, written straight to the socket. */
function rawTextFrame(payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4])
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked])
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)))
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

  it('survives a malformed WebSocket frame: invalid UTF-8 closes that socket only', async () => {
    const ws = await connect(`?token=${TOKEN}`)
    const code = closed(ws)
    ;(ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(
      rawTextFrame(Buffer.from([0xff, 0xfe, 0x41])),
    )
    expect(await code).toBe(1007)
    const again = await connect(`?token=${TOKEN}`)
    expect(await call(again, 1, 'app.info')).toMatchObject({ ok: true })
    again.close()
  })

  it('survives a WebSocket message over the size limit', async () => {
    const ws = await connect(`?token=${TOKEN}`)
    const code = closed(ws)
    ws.send('x'.repeat(1024 * 1024 + 1))
    expect(await code).toBe(1009)
    const again = await connect(`?token=${TOKEN}`)
    expect(await call(again, 1, 'app.info')).toMatchObject({ ok: true })
    again.close()
  })

  it('answers an upload over the allowed size with file_too_large, and keeps no partial file', async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x61)
    // Its length said up front…
    const declared = await raw('/upload', { method: 'POST', headers: uploadHeaders('big.csv'), body: big })
    expect(declared.status).toBe(200)
    expect(JSON.parse(declared.body)).toMatchObject({
      ok: false,
      error: {
        code: 'file_too_large',
        message: '“big.csv” is larger than Splitsend accepts through the browser (64 KB).',
      },
    })
    // …or found out while it arrives.
    const pieces = Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, 0x62))
    const streamed = await raw('/upload', { method: 'POST', headers: uploadHeaders('streamed.csv'), body: pieces })
    expect(JSON.parse(streamed.body)).toMatchObject({ ok: false, error: { code: 'file_too_large' } })
    expect(filesInUploads()).not.toContain('big.csv')
    expect(filesInUploads()).not.toContain('streamed.csv')
  })

  it('removes the partial file of an upload that breaks off', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port: bridge.port,
        path: '/upload',
        method: 'POST',
        headers: uploadHeaders('cut.csv', { 'Content-Length': String(40_000) }),
      })
      req.on('error', () => resolve())
      req.write(Buffer.alloc(20_000, 0x63), () => setTimeout(() => req.destroy(), 100))
      req.on('close', () => resolve())
    })
    await expect.poll(() => filesInUploads().includes('cut.csv'), { timeout: 5000 }).toBe(false)
    // The bridge goes on taking files.
    const ok = await raw('/upload', { method: 'POST', headers: uploadHeaders('fine.csv'), body: 'Email\na@x.com\n' })
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { name: 'fine.csv' } })
  })

  it('opens only files given in the page, and saves only into its own export folder', async () => {
    const ws = await connect(`?token=${TOKEN}`)
    const secret = join(tempDir('elsewhere'), 'secret.csv')
    writeFileSync(secret, 'Email\nsecret@x.com\n')
    expect(await call(ws, 1, 'files.attachPath', { path: secret })).toMatchObject({
      ok: false,
      error: { code: 'not_available_here' },
    })
    expect(await call(ws, 2, 'prepare.save', { jobId: 'some-job', folder: tempDir('target') })).toMatchObject({
      ok: false,
      error: { code: 'not_available_here' },
    })
    ws.close()
  })
})

describe('the bridge’s limit on file readings at once', () => {
  it('runs a few at a time, lets a few wait in order, and refuses the rest at once', async () => {
    const slots = new Slots({ running: 2, waiting: 1 })
    const started: number[] = []
    const releases: Array<() => void> = []
    const work = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n)
        releases.push(() => resolve(n))
      })
    const first = slots.run(work(1))
    const second = slots.run(work(2))
    const third = slots.run(work(3))
    await expect(slots.run(work(4))).rejects.toMatchObject({ code: 'busy' })
    await Promise.resolve()
    expect(started).toEqual([1, 2])
    releases[0]!()
    expect(await first).toBe(1)
    await expect.poll(() => started).toEqual([1, 2, 3])
    releases[1]!()
    releases[2]!()
    expect(await Promise.all([second, third])).toEqual([2, 3])
    // Every slot is free again.
    const again = [slots.run(work(5)), slots.run(work(6))]
    await expect.poll(() => started).toEqual([1, 2, 3, 5, 6])
    releases[3]!()
    releases[4]!()
    expect(await Promise.all(again)).toEqual([5, 6])
  })
})
