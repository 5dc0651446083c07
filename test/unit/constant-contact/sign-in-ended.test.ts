import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { events as contractEvents, type EventName } from '../../../shared/contract'
import { createAccountHandlers } from '../../../electron/services/account/handlers'
import { createOAuthClient } from '../../../electron/services/account/oauth'
import { SecretStore } from '../../../electron/services/account/secret-store'
import { TokenManager } from '../../../electron/services/account/token-manager'
import { dispatchRequest, type Handlers } from '../../../electron/services/contract-dispatch'
import { createUploadHandlers } from '../../../electron/services/upload/handlers'
import { createUploadRates } from '../../../electron/services/upload/rates'
import { TEST_SPEED, testTokenGate } from '../pace'
import { preparedJob } from '../upload/helpers'
import { connectedAccount, memoryCredentials, tempDir, waitFor, closeAfterEach } from './helpers'
import { readJob } from '../../../electron/services/jobs/list'

/**
 * A Constant Contact account can take Splitsend's access away at any time. Then the app goes back
 * to Connect with a plain message (main tells it with `account.changed`), and a running upload
 * stops safely and goes on after reconnecting.
 */
const closeLater = closeAfterEach()

type Emitted = Array<{ event: EventName; payload: unknown }>

/** Connected to a local Constant Contact, with the account handlers the app uses and what they emit. */
async function connectedApp(simOptions: Parameters<typeof connectedAccount>[0] = {}, fetchWrapper?: typeof fetch) {
  const ctx = await connectedAccount(simOptions, fetchWrapper ? { fetch: fetchWrapper } : {})
  closeLater(ctx.close)
  const emitted: Emitted = []
  const emit = (event: EventName, payload: unknown): void => {
    contractEvents[event].parse(payload) // as the transport checks it on the way out
    emitted.push({ event, payload })
  }
  createAccountHandlers(ctx.account, emit as never)
  return { ...ctx, emitted, emit }
}

const changed = (emitted: Emitted) => emitted.filter((e) => e.event === 'account.changed').map((e) => e.payload)

describe('when Constant Contact ends the sign-in', () => {
  it('a 401 from the token endpoint ends it, whatever the body (JSON, a gateway page, nothing)', async () => {
    for (const body of ['{"error":"invalid_client","error_description":"x"}', '<html><h1>401</h1></html>', '']) {
      const credentials = memoryCredentials()
      const secrets = new SecretStore(credentials)
      const endpoint = { kind: 'real' } as const
      await secrets.setConnection({ endpoint, accountName: 'Shop' })
      await secrets.setTokens(endpoint, {
        access_token: 'old',
        refresh_token: 'refresh',
        expires_at: Date.now() - 1,
        scope: '',
      })
      const oauth = createOAuthClient({
        authBase: 'https://auth.invalid/v1',
        clientId: 'app',
        gate: testTokenGate(),
        fetch: async () => new Response(body, { status: 401, headers: { 'Content-Type': 'text/html' } }),
      })
      let told = 0
      const tokens = new TokenManager({ endpoint, secrets, oauth, onReconnectNeeded: () => told++ })
      await expect(tokens.accessToken(), body).rejects.toMatchObject({ code: 'cc_reconnect_needed' })
      expect(await secrets.getConnection()).toMatchObject({ needsReconnect: true, accountName: 'Shop' })
      expect(await secrets.getTokens(endpoint)).toBeNull()
      expect(told).toBe(1)
    }
  })

  it('tokens gone from the keychain (signed out elsewhere, or the entry damaged) end the sign-in here too, never brought back', async () => {
    const endpoint = { kind: 'real' } as const
    const good = { access_token: 'kept', refresh_token: 'refresh', expires_at: Date.now() + 3_600_000, scope: '' }
    for (const change of ['removed', 'damaged'] as const) {
      const credentials = memoryCredentials()
      const secrets = new SecretStore(credentials)
      await secrets.setConnection({ endpoint, accountName: 'Shop' })
      await secrets.setTokens(endpoint, good)
      let refreshes = 0
      const oauth = createOAuthClient({
        authBase: 'https://auth.invalid/v1',
        clientId: 'app',
        gate: testTokenGate(),
        fetch: async () => {
          refreshes++
          return Response.json({ access_token: 'new', refresh_token: 'r2', expires_in: 86_400, scope: '' })
        },
      })
      let told = 0
      const tokens = new TokenManager({ endpoint, secrets, oauth, onReconnectNeeded: () => told++ })
      expect(await tokens.accessToken()).toBe('kept')
      const key = [...credentials.entries.keys()].find((k) => k.endsWith('/tokens'))!
      if (change === 'removed') credentials.entries.delete(key)
      else credentials.entries.set(key, '{"access_token": 12')
      // Constant Contact refused the kept token: renewing it from memory would sign in again.
      await expect(tokens.renewAfterRejection('kept'), change).rejects.toMatchObject({ code: 'cc_reconnect_needed' })
      expect(refreshes, change).toBe(0)
      expect(await secrets.getTokens(endpoint)).toBeNull()
      expect(await secrets.getConnection()).toMatchObject({ needsReconnect: true })
      expect(told, change).toBe(1)
      // A manager that hadn't read them yet says so too, and tells the app.
      const fresh = new TokenManager({ endpoint, secrets, oauth, onReconnectNeeded: () => told++ })
      await expect(fresh.accessToken()).rejects.toMatchObject({ code: 'cc_reconnect_needed' })
      expect(told, change).toBe(2)
    }
  })

  it('the application removed in Constant Contact (401 invalid_client): back to Connect, and the app is told', async () => {
    const app = await connectedApp()
    const client = await app.account.client()
    await client.getLists()
    app.sim.control.revokeApplication({ deactivate: 'test-client-id' })
    await expect(client.getLists()).rejects.toMatchObject({
      code: 'cc_reconnect_needed',
      message: 'Splitsend is no longer connected to your Constant Contact account.',
    })
    expect(app.sim.control.tokenRequests().at(-1)).toMatchObject({ grantType: 'refresh_token', status: 401 })
    await waitFor(() => (changed(app.emitted).length ? true : undefined), 5_000, 20)
    expect(changed(app.emitted)).toEqual([expect.objectContaining({ connected: false, needsReconnect: true })])
    expect(await app.account.status()).toMatchObject({ connected: false, needsReconnect: true })
  })

  it('a token refused right after it was renewed ends the sign-in too (not only that request)', async () => {
    let refuseApi = false
    const app = await connectedApp({}, async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input))
      if (refuseApi && url.pathname.startsWith('/v3/'))
        return Response.json({ error_key: 'unauthorized', error_message: 'Unauthorized' }, { status: 401 })
      return fetch(input, init)
    })
    const client = await app.account.client()
    refuseApi = true
    await expect(client.getLists()).rejects.toMatchObject({ code: 'cc_reconnect_needed' })
    expect(app.sim.control.tokenRequests().filter((r) => r.grantType === 'refresh_token')).toHaveLength(1)
    expect(await app.account.status()).toMatchObject({ connected: false, needsReconnect: true })
    await waitFor(() => (changed(app.emitted).length ? true : undefined), 5_000, 20)
  })

  it('a running upload stops safely, and after reconnecting goes on without sending anything twice', async () => {
    // The engine's first status check comes a moment after an import is sent: the access is taken
    // away before it, so the imports are still in flight for the engine.
    const app = await connectedApp({ speed: TEST_SPEED })
    const jobsDir = tempDir('jobs')
    const job = await preparedJob({ group0: 5, group1: 4, tag: 'revoked' })
    cpSync(job.dir, join(jobsDir, 'job-one'), { recursive: true })
    const upload = createUploadHandlers({
      account: app.account,
      jobsDir,
      emit: app.emit as never,
      rates: createUploadRates(join(tempDir('data'), 'upload-speeds.json')),
    })
    closeLater(() => upload.dispose())
    const handlers = upload.handlers as unknown as Handlers
    const value = async <T = any>(name: string, input?: unknown): Promise<T> => {
      const envelope = await dispatchRequest(handlers, name, input, () => {})
      if (!envelope.ok) throw new Error(`${name} failed: ${JSON.stringify(envelope.error)}`)
      return envelope.value as T
    }
    const finished = (count: number) =>
      waitFor(() => app.emitted.filter((e) => e.event === 'upload.finished').at(count - 1)?.payload as any, 30_000)
    const importPosts = () =>
      app.sim.control.requests().filter((r) => r.path === '/activities/contacts_json_import' && r.status === 201)

    const plan = await value('upload.plan', {
      jobId: 'job-one',
      choices: {
        lists: { '0': { kind: 'name', name: 'Revoked 0' }, '1': { kind: 'name', name: 'Revoked 1' } },
        createLists: true,
        createCustomFields: false,
      },
    })
    await value('upload.start', { jobId: 'job-one', start: { planId: plan.planId } })
    await waitFor(() => (importPosts().length === 2 ? true : undefined), 20_000, 10)
    app.sim.control.revokeApplication() // the account owner removes Splitsend's access

    const stopped = (await finished(1)).result
    expect(stopped).toMatchObject({ outcome: 'stopped', error: { code: 'cc_reconnect_needed' } })
    expect(changed(app.emitted)).toEqual([expect.objectContaining({ connected: false, needsReconnect: true })])
    expect(await readJob(jobsDir, 'job-one', upload.live)).toMatchObject({
      upload: { state: 'stopped', error: { code: 'cc_reconnect_needed' } },
      next: 'upload',
    })

    const endpoint = { apiBase: app.sim.apiBase, authBase: app.sim.authBase }
    await app.account.connect({ mode: 'browser', endpoint })
    await value('upload.start', { jobId: 'job-one', start: { resume: true } })
    expect((await finished(2)).result).toMatchObject({ outcome: 'all_added', contactsAdded: 9 })
    expect(importPosts()).toHaveLength(2) // the imports in flight were followed, not sent again
    const lists = app.sim.control.snapshot().lists
    const members = (name: string) => app.sim.control.listMembers(lists.find((l) => l.name === name)!.list_id).sort()
    expect(members('Revoked 0')).toEqual([...job.emails['0']].sort())
    expect(members('Revoked 1')).toEqual([...job.emails['1']].sort())
  })
})
