/**
 * The web bridge as `npm run web` runs it, in a process of its own: a malformed frame must not end
 * the process, and however the process ends, the private folder of uploaded files goes with it (or,
 * after a kill that gave it no chance, with the next bridge's start).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { bundleForNode } from '../bundle'
import { tempDir } from '../temp'

const TOKEN = 'process-test-token-0123'
let entry: string

beforeAll(async () => {
  entry = await bundleForNode('electron/web/start-web.ts')
}, 120_000)

interface RunningBridge {
  child: ChildProcess
  port: number
  exited: Promise<number | null>
}

async function startBridge(tmp: string): Promise<RunningBridge> {
  const child = spawn(process.execPath, [entry, '--port', '0'], {
    env: { ...process.env, TMPDIR: tmp, SPLITSEND_DATA_DIR: join(tmp, 'data'), SPLITSEND_WEB_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const found = /127\.0\.0\.1:(\d+)\//.exec(out)
      if (found) resolve(Number(found[1]))
    })
    child.once('exit', (code) => reject(new Error(`the bridge ended before it listened (${code})`)))
  })
  return { child, port, exited }
}

function upload(port: number, name: string, body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/upload',
        method: 'POST',
        headers: {
          'x-splitsend-token': TOKEN,
          'x-splitsend-file-name': encodeURIComponent(name),
          Origin: `http://127.0.0.1:${port}`,
        },
      },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => resolve(JSON.parse(text)))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const uploadFolders = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith('splitsend-upload-'))

function socket(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge?token=${TOKEN}`, {
      headers: { Origin: `http://127.0.0.1:${port}` },
    })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

describe('the web bridge process', () => {
  it('keeps running after a frame with invalid UTF-8 and a message over the size limit', async () => {
    const tmp = tempDir('bridge')
    const bridge = await startBridge(tmp)
    try {
      const bad = await socket(bridge.port)
      const mask = [1, 2, 3, 4]
      const payload = [0xff, 0xfe, 0x41].map((b, i) => b ^ mask[i % 4]!)
      ;(bad as unknown as { _socket: { write(b: Buffer): void } })._socket.write(
        Buffer.from([0x81, 0x80 | payload.length, ...mask, ...payload]),
      )
      await new Promise((resolve) => bad.once('close', resolve))
      const big = await socket(bridge.port)
      big.send('x'.repeat(1024 * 1024 + 1))
      await new Promise((resolve) => big.once('close', resolve))

      const ws = await socket(bridge.port)
      const answer = new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))))
      ws.send(JSON.stringify({ id: 1, request: 'app.info' }))
      expect(await answer).toMatchObject({ id: 1, envelope: { ok: true, value: { host: 'web' } } })
      ws.close()
      expect(bridge.child.exitCode).toBeNull()
    } finally {
      bridge.child.kill('SIGKILL')
      await bridge.exited
    }
  })

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'removes its upload folder when stopped with %s',
    async (signal) => {
      const tmp = tempDir('bridge')
      const bridge = await startBridge(tmp)
      expect(await upload(bridge.port, 'contacts.csv', 'Email\na@x.com\n')).toMatchObject({ ok: true })
      expect(uploadFolders(tmp)).toHaveLength(1)
      bridge.child.kill(signal)
      await bridge.exited
      expect(uploadFolders(tmp)).toEqual([])
    },
  )

  it('after being killed outright, its upload folder goes when the next bridge starts', async () => {
    const tmp = tempDir('bridge')
    const first = await startBridge(tmp)
    await upload(first.port, 'contacts.csv', 'Email\na@x.com\n')
    const [left] = uploadFolders(tmp)
    first.child.kill('SIGKILL')
    await first.exited
    expect(existsSync(join(tmp, left!))).toBe(true)

    const second = await startBridge(tmp)
    try {
      expect(existsSync(join(tmp, left!))).toBe(false)
    } finally {
      second.child.kill('SIGTERM')
      await second.exited
    }
  })
})
