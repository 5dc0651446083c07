/**
 * The web bridge's downloads (a report, a prepared file's copy): the page gets a one-time address
 * over the WebSocket, and the bridge streams the stored file from disk — the file never crosses the
 * contract, and the address serves it once, to the bridge's own host only.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request as httpRequest, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { createAppServices } from '../../../electron/services/app-services'
import { safeCsvText } from '../../../electron/services/prepare/copies'
import { writeJobReport } from '../../../electron/services/report/build'
import type { WebBridge } from '../../../electron/web/bridge-server'
import { BridgeDownloads } from '../../../electron/web/downloads'
import { writeUploadJournal } from '../report/fixtures'
import { tempDir } from '../temp'
import { preparedJob } from '../upload/helpers'
import { startTestBridge } from './start-bridge'

const TOKEN = 'test-token-downloads-0123'
const JOB_ID = 'job-downloads'
let bridge: WebBridge
let origin: string
const dataDir = tempDir('data')
const uploadsRoot = tempDir('uploads')
const services = createAppServices({
  host: 'web',
  version: '1.2.3',
  dataDir,
  tempDir: uploadsRoot,
  emit: (event, payload) => bridge.broadcast(event, payload),
})
let jobDir: string

beforeAll(async () => {
  const job = await preparedJob({ group0: 300, group1: 200, problems: 3, tag: 'downloads' })
  jobDir = join(dataDir, 'jobs', JOB_ID)
  cpSync(job.dir, jobDir, { recursive: true })
  writeUploadJournal(jobDir, job.summary)
  writeJobReport(jobDir)
  const rendererDir = tempDir('renderer')
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Splitsend</title>')
  bridge = await startTestBridge(services, { rendererDir, token: TOKEN })
  origin = `http://127.0.0.1:${bridge.port}`
})
afterAll(async () => {
  await bridge.close()
  await services.dispose()
})

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: bridge.port, path, headers }, (res) => {
      const pieces: Buffer[] = []
      res.on('data', (c: Buffer) => pieces.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(pieces), headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** One request over the bridge's WebSocket, with the size of the answer's frame. */
async function ask(request: string, input: unknown): Promise<{ envelope: any; frameBytes: number }> {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/bridge?token=${TOKEN}`, { headers: { Origin: origin } })
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  try {
    return await new Promise((resolve) => {
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(String(data))
        if (message.id === 1) resolve({ envelope: message.envelope, frameBytes: data.length })
      })
      ws.send(JSON.stringify({ id: 1, request, input }))
    })
  } finally {
    ws.close()
  }
}

/** Every file under the bridge's private upload folder. */
const filesInUploads = (): string[] =>
  readdirSync(uploadsRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)

describe('a download from the web bridge', () => {
  it('streams the stored report file once, at an address given over the WebSocket, never through it', async () => {
    const stored = readFileSync(join(jobDir, 'report.csv'))
    expect(stored.length).toBeGreaterThan(20_000)
    const { envelope, frameBytes } = await ask('report.download', { jobId: JOB_ID, file: 'csv' })
    expect(envelope.ok).toBe(true)
    expect(frameBytes).toBeLessThan(500)
    const { url, fileName } = envelope.value
    expect(url).toMatch(/^\/download\/[A-Za-z0-9_-]{40,}$/)
    expect(url).not.toContain(TOKEN)
    expect(fileName).toMatch(/ – Splitsend report\.csv$/)

    // Another host name (DNS rebinding) gets nothing, and doesn't use the address up.
    expect((await get(url, { Host: `localhost:${bridge.port}` })).status).toBe(421)
    const download = await get(url)
    expect(download.status).toBe(200)
    expect(download.body.equals(stored)).toBe(true)
    expect(download.headers['content-type']).toBe('text/csv;charset=utf-8')
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(fileName)}`)
    expect(download.headers['cache-control']).toBe('no-store')
    // Once only.
    expect((await get(url)).status).toBe(404)
    expect((await get('/download/not-an-offer-0000000000000000000000000')).status).toBe(404)

    const html = await ask('report.download', { jobId: JOB_ID, file: 'html' })
    const page = await get(html.envelope.value.url)
    expect(page.body.equals(readFileSync(join(jobDir, 'report.html')))).toBe(true)
    expect(page.headers['content-disposition']).toMatch(/^attachment;/)
  })

  it("streams a prepared file's safe copy, written for the download and removed once served", async () => {
    const { envelope } = await ask('prepare.download', { jobId: JOB_ID, file: 'group0' })
    expect(envelope.ok).toBe(true)
    expect(filesInUploads()).toHaveLength(1)
    const download = await get(envelope.value.url)
    expect(download.status).toBe(200)
    expect(download.body.toString('utf8')).toBe(safeCsvText(readFileSync(join(jobDir, 'group-0.csv'), 'utf8')))
    await expect.poll(filesInUploads).toEqual([])
    expect(existsSync(uploadsRoot)).toBe(true)
  })

  it('is withdrawn after a minute unasked, and a copy made for it removed', async () => {
    const downloads = new BridgeDownloads()
    const folder = tempDir('offered')
    const path = join(folder, 'copy.csv')
    writeFileSync(path, 'email\r\n')
    vi.useFakeTimers()
    let url: string
    try {
      url = downloads.offer({ path, fileName: 'copy.csv', mimeType: 'text/csv' }, folder).url
      vi.advanceTimersByTime(59_000)
      expect(existsSync(folder)).toBe(true)
      vi.advanceTimersByTime(2_000)
    } finally {
      vi.useRealTimers()
    }
    await expect.poll(() => existsSync(folder)).toBe(false)
    expect(await downloads.serve(url, {} as ServerResponse)).toBe(false)
  })
})
