import { execFile } from 'node:child_process'
import { chmodSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { PRACTICE_CLIENT_ID, startPracticeSimulator } from '../../../electron/services/account/practice'
import { connectedPractice as connectedPracticeAccount, tempDir, closeAfterEach } from './helpers'

/**
 * The practice account's local Constant Contact approves sign-ins by itself, so it must serve only
 * Splitsend: another program on the computer (a second process here) gets nothing from it.
 */
const closeLater = closeAfterEach()

/** Splitsend connected to the practice account, with the access token it holds. */
async function connectedPractice() {
  const connected = await connectedPracticeAccount(closeLater)
  const tokens = JSON.parse(connected.credentials.entries.get('constant-contact/practice/tokens')!) as {
    access_token: string
  }
  return { ...connected, accessToken: tokens.access_token }
}

/**
 * What another program on this computer can get from the practice account's server: it tries the
 * browser sign-in (the server approves by itself) and the device flow, with the wrong client ID and
 * with the right one but no secret, and reports each answer.
 */
const SECOND_PROCESS = `
const [authBase, clientId] = process.argv.slice(1)
const results = {}
const form = (fields) => ({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) })
const device = await fetch(authBase + '/device/authorize', form({ client_id: clientId, scope: 'contact_data offline_access' }))
results.device = { status: device.status, body: await device.json() }
const verifier = 'v'.repeat(64)
const challenge = require('node:crypto').createHash('sha256').update(verifier).digest('base64url')
const authorize = new URL(authBase + '/authorize')
const redirectUri = 'http://127.0.0.1:9/callback'
authorize.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'contact_data offline_access', state: 's', code_challenge: challenge, code_challenge_method: 'S256' })
const consent = await fetch(authorize, { redirect: 'manual' })
results.authorize = { status: consent.status }
const code = new URL(consent.headers.get('location') ?? 'http://x/').searchParams.get('code')
if (code) {
  const token = await fetch(authBase + '/token', form({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirectUri, code_verifier: verifier }))
  results.token = { status: token.status, body: await token.json() }
}
process.stdout.write(JSON.stringify(results))
`

async function secondProcess(authBase: string, clientId: string) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=commonjs', '-e', `(async () => {${SECOND_PROCESS}})()`, authBase, clientId],
    { timeout: 20_000 },
  )
  return JSON.parse(stdout) as {
    device: { status: number; body: { error?: string; access_token?: string } }
    authorize: { status: number }
    token?: { status: number; body: { error?: string; access_token?: string } }
  }
}

/** A GET with a chosen Host header (fetch doesn't let a caller set one). */
function getWithHost(url: string, host: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host, Authorization: `Bearer ${token}` } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the practice account’s local Constant Contact on a shared computer', () => {
  it('connects Splitsend itself, through its own client ID and this run’s secret', async () => {
    const { status, client } = await connectedPractice()
    expect(status).toMatchObject({ connected: true, practice: true })
    expect((await client.getLists()).lists?.length).toBeGreaterThan(0)
  })

  it('refuses another program: a wrong client ID, or Splitsend’s client ID without this run’s secret', async () => {
    const sim = await startPracticeSimulator({ dataDir: tempDir('practice') })
    closeLater(() => sim.close())
    expect(sim.clientSecret).toMatch(/^[\w-]{40,}$/)

    const wrongId = await secondProcess(sim.authBase, 'some-other-app')
    expect(wrongId.device).toMatchObject({ status: 401, body: { error: 'invalid_client' } })
    expect(wrongId.authorize.status).toBe(400) // a page error: no code is handed out at all
    expect(wrongId.token).toBeUndefined()

    const noSecret = await secondProcess(sim.authBase, PRACTICE_CLIENT_ID)
    expect(noSecret.device).toMatchObject({ status: 401, body: { error: 'invalid_client' } })
    expect(noSecret.token).toMatchObject({ status: 401, body: { error: 'invalid_client' } })
    expect(noSecret.token?.body.access_token).toBeUndefined()
  })

  it('answers only requests addressed to its loopback address (no DNS rebinding)', async () => {
    const { client, accessToken } = await connectedPractice()
    const apiBase = client.apiBase
    const port = new URL(apiBase).port
    const lists = `${apiBase}/contact_lists`
    expect((await getWithHost(lists, `127.0.0.1:${port}`, accessToken)).status).toBe(200)
    expect((await getWithHost(lists, `localhost:${port}`, accessToken)).status).toBe(200)
    for (const host of [`rebind.example:${port}`, '127.0.0.1', `127.0.0.1:${Number(port) + 1}`]) {
      const foreign = await getWithHost(lists, host, accessToken)
      expect(foreign.status, host).toBe(421)
      expect(foreign.body).not.toContain('list_id')
    }
    const authorize = await getWithHost(apiBase.replace(/\/v3$/, '/oauth2/default/v1/authorize'), 'evil.test', '')
    expect(authorize.status).toBe(421)
  })

  it('keeps its state readable by the owner only, also when an older version left it open', async () => {
    const { account, client, dataDir } = await connectedPractice()
    await client.createList({ name: 'Owner only' })
    await account.close() // writes the state
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dataDir, 'cc-simulator-state.jsonl')).mode & 0o777).toBe(0o600)

    // As an older Splitsend left them: open to everyone on the computer.
    chmodSync(dataDir, 0o755)
    chmodSync(join(dataDir, 'cc-simulator-state.jsonl'), 0o644)
    const again = await startPracticeSimulator({ dataDir })
    closeLater(() => again.close())
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dataDir, 'cc-simulator-state.jsonl')).mode & 0o777).toBe(0o600)
  })
})
