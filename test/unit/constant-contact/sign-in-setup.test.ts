import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/splitsend'
import { startSimulator, type SimulatorOptions } from '../../../electron/services/cc-simulator/index'
import { createAccountService } from '../../../electron/services/account/index'
import { startLoopbackReceiver } from '../../../electron/services/account/loopback'
import { createCredentialStore } from '../../../electron/services/credentials'
import { privateKeychain } from '../keychain'
import { TEST_TOKEN_REQUESTS_PER_SECOND, testLimiter, testTokenGate } from '../pace'
import { FAST_RETRY, freePort, memoryCredentials, playBrowser, waitFor, closeAfterEach } from './helpers'

// Its own keychain: `splitsend login` and `logout` below sign in and out through the real one.
privateKeychain()

/**
 * Signing in with an application as Constant Contact's developer portal sets it up: its registered
 * redirect URIs and its one sign-in flow, against a local Constant Contact that holds it to them
 * the way Okta does.
 */
const closeLater = closeAfterEach()

async function sim(options: SimulatorOptions) {
  const s = await startSimulator({
    speed: 'fast',
    deviceIntervalSeconds: 1,
    tokenRequestsPerSecond: TEST_TOKEN_REQUESTS_PER_SECOND,
    ...options,
  })
  closeLater(() => s.close())
  return { ...s, endpoint: { apiBase: s.apiBase, authBase: s.authBase } }
}

/** The account service with a browser the test plays (it presses Allow), remembering what it opened. */
function service() {
  const opened: string[] = []
  const account = createAccountService({
    credentials: memoryCredentials(),
    openBrowser: async (url) => {
      opened.push(url)
      await playBrowser(url)
    },
    limiter: testLimiter(),
    tokenGate: testTokenGate(),
    retry: FAST_RETRY,
    signInTimeoutMs: 15_000,
  })
  closeLater(() => account.close())
  return { account, opened }
}

describe('the redirect address', () => {
  it('signs in with either registered form, localhost (the default host) or 127.0.0.1', async () => {
    const [p1, p2] = [await freePort(), await freePort()]
    const localhost = `http://localhost:${p1}/callback`
    const loopbackIp = `http://127.0.0.1:${p2}/callback`
    const s = await sim({ clients: [{ clientId: 'portal-app', flow: 'pkce', redirectUris: [localhost, loopbackIp] }] })
    const { account, opened } = service()
    await account.saveApiKey('portal-app', s.endpoint)

    await account.setRedirect({ host: 'localhost', port: p1 }, s.endpoint)
    expect(await account.connect({ mode: 'browser', endpoint: s.endpoint })).toMatchObject({ connected: true })
    expect(new URL(opened[0]!).searchParams.get('redirect_uri')).toBe(localhost)

    await account.disconnect()
    await account.saveApiKey('portal-app', s.endpoint)
    await account.setRedirect(loopbackIp, s.endpoint)
    expect(await account.connect({ mode: 'browser', endpoint: s.endpoint })).toMatchObject({ connected: true })
    expect(new URL(opened[1]!).searchParams.get('redirect_uri')).toBe(loopbackIp)
  })

  it('an unregistered address is a page error on Constant Contact’s side; Splitsend says at once what to register', async () => {
    const [registered, other] = [await freePort(), await freePort()]
    const s = await sim({
      clients: [{ clientId: 'portal-app', flow: 'pkce', redirectUris: [`http://localhost:${registered}/callback`] }],
    })
    const { account, opened } = service()
    await account.saveApiKey('portal-app', s.endpoint)
    await account.setRedirect({ host: 'localhost', port: other }, s.endpoint)
    const started = Date.now()
    const error = await account.connect({ mode: 'browser', endpoint: s.endpoint }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'cc_redirect_not_registered',
      message: `Constant Contact refused the sign-in: the redirect address http://localhost:${other}/callback isn’t registered for this application.`,
      hint: expect.stringContaining(`add exactly http://localhost:${other}/callback`),
    })
    expect(Date.now() - started).toBeLessThan(5_000) // not after the sign-in timeout
    expect(opened).toEqual([]) // no browser opened on an error page

    // The way Okta refuses it: its own error page, and no redirect to the unregistered address.
    const authorize = new URL(`${s.authBase}/authorize`)
    authorize.search = new URLSearchParams({
      client_id: 'portal-app',
      redirect_uri: `http://127.0.0.1:${registered}/callback`, // same port, other host: not registered
      response_type: 'code',
      scope: 'contact_data',
      state: 's',
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
    }).toString()
    const page = await fetch(authorize, { redirect: 'manual' })
    expect(page.status).toBe(400)
    expect(page.headers.get('location')).toBeNull()
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('must be a Login redirect URI')
  })

  it('for localhost, the listener answers on both loopback addresses the browser may pick', async () => {
    const receiver = await startLoopbackReceiver({ state: 'st', host: 'localhost', timeoutMs: 5_000 })
    const port = new URL(receiver.redirectUri).port
    expect(receiver.redirectUri).toBe(`http://localhost:${port}/callback`)
    if (await hasIpv6Loopback()) {
      const v6 = await fetch(`http://[::1]:${port}/callback?state=wrong`)
      expect(v6.status).toBe(400) // Splitsend's listener: a callback with the wrong state
    }
    const v4 = await fetch(`http://127.0.0.1:${port}/callback?state=st&code=c1`)
    expect(v4.status).toBe(200)
    await expect(receiver.code).resolves.toBe('c1')
  })

  it('is validated, kept per endpoint, and shown for the real Constant Contact', async () => {
    const { account } = service()
    expect((await account.status()).redirectUri).toBe('http://localhost:47611/callback')
    await account.setRedirect('127.0.0.1:50123')
    expect((await account.status()).redirectUri).toBe('http://127.0.0.1:50123/callback')
    for (const bad of [
      'https://localhost:50123/callback',
      'http://example.com:50123/callback',
      'http://localhost/callback',
      'http://localhost:80/callback',
      'http://localhost:50123/other',
      'http://localhost:50123/callback?x=1',
    ])
      await expect(account.setRedirect(bad), bad).rejects.toMatchObject({ code: 'redirect_uri_invalid' })
    expect((await account.status()).redirectUri).toBe('http://127.0.0.1:50123/callback')
  })
})

describe('an application is set up for one sign-in flow', () => {
  it('browser sign-in with a device-flow application says so, and the code works', async () => {
    const s = await sim({ autoApprove: true, clients: [{ clientId: 'device-app', flow: 'device' }] })
    const { account, opened } = service()
    await account.saveApiKey('device-app', s.endpoint)
    await expect(account.connect({ mode: 'browser', endpoint: s.endpoint })).rejects.toMatchObject({
      code: 'cc_app_set_up_for_device',
      message: expect.stringContaining('set up for signing in with a code'),
      hint: expect.stringContaining('Sign in with a code instead'),
    })
    expect(opened).toEqual([])
    expect(await account.connect({ mode: 'device', endpoint: s.endpoint })).toMatchObject({ connected: true })
  })

  it('a device-flow application that does list redirect URIs sends the browser back with unauthorized_client', async () => {
    const port = await freePort()
    const redirectUri = `http://localhost:${port}/callback`
    const s = await sim({
      autoApprove: true,
      clients: [{ clientId: 'device-app', flow: 'device', redirectUris: [redirectUri] }],
    })
    const { account } = service()
    await account.saveApiKey('device-app', s.endpoint)
    await account.setRedirect(redirectUri, s.endpoint)
    await expect(account.connect({ mode: 'browser', endpoint: s.endpoint })).rejects.toMatchObject({
      code: 'cc_app_set_up_for_device',
    })
    // …and the same answer reaching the loopback listener (a browser that went ahead) reads the same.
    const receiver = await startLoopbackReceiver({ state: 'st', host: 'localhost', timeoutMs: 5_000 })
    await fetch(`${receiver.redirectUri}?state=st&error=unauthorized_client&error_description=x`)
    await expect(receiver.code).rejects.toMatchObject({ code: 'cc_app_set_up_for_device' })
  })

  it('code sign-in with a browser (PKCE) application says so, and the browser works', async () => {
    const port = await freePort()
    const redirectUri = `http://localhost:${port}/callback`
    const s = await sim({
      autoApprove: true,
      clients: [{ clientId: 'pkce-app', flow: 'pkce', redirectUris: [redirectUri] }],
    })
    const { account } = service()
    await account.saveApiKey('pkce-app', s.endpoint)
    await account.setRedirect(redirectUri, s.endpoint)
    await expect(account.connect({ mode: 'device', endpoint: s.endpoint })).rejects.toMatchObject({
      code: 'cc_app_set_up_for_browser',
      hint: 'Connect in your browser instead.',
    })
    expect(await account.connect({ mode: 'browser', endpoint: s.endpoint })).toMatchObject({ connected: true })
  })

  it('an API key Constant Contact doesn’t know is named as the problem', async () => {
    const s = await sim({ onlyRegisteredClients: true, clients: [{ clientId: 'portal-app', flow: 'pkce' }] })
    const { account } = service()
    await account.saveApiKey('mistyped-key', s.endpoint)
    await expect(account.connect({ mode: 'browser', endpoint: s.endpoint })).rejects.toMatchObject({
      code: 'cc_sign_in_failed',
      message: 'Constant Contact doesn’t recognise Splitsend’s API key.',
    })
  })
})

/** Whether this computer has the IPv6 loopback address (a listener can be opened on ::1). */
async function hasIpv6Loopback(): Promise<boolean> {
  const server = createServer()
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(0, '::1', () => resolve(true))
  })
  server.close()
  return ok
}

const inKeychainSession = process.env.SPLITSEND_IN_KEYCHAIN_SESSION === '1'

describe.skipIf(!inKeychainSession)('splitsend login and splitsend simulator', () => {
  it('--redirect-uri signs in through the address registered with --register-redirect, and is kept', async () => {
    const port = await freePort()
    const redirectUri = `http://127.0.0.1:${port}/callback`
    let simOutput = ''
    let stopSim!: () => void
    const { runSimulatorCommand } = await import('../../../electron/cli/commands/simulator')
    const simRun = runSimulatorCommand(
      ['--auto-approve', '--speed', 'fast', '--empty', '--client-id', 'cli-app', '--register-redirect', redirectUri],
      { stdout: (t) => (simOutput += t), stderr: (t) => (simOutput += t) },
      new Promise<void>((resolve) => (stopSim = resolve)),
    )
    closeLater(async () => {
      stopSim()
      await simRun
    })
    const login = await waitFor(() => /splitsend login (.+)\n/.exec(simOutput)?.[1])
    expect(login).toContain(`--client-id cli-app --redirect-uri ${redirectUri}`)
    const [apiBase, authBase] = [/--api-base (\S+)/.exec(login)![1]!, /--auth-base (\S+)/.exec(login)![1]!]

    let output = ''
    const io = { stdout: (t: string) => void (output += t), stderr: (t: string) => void (output += t) }
    // An address that isn't registered: refused at once, in the command's own words.
    const other = `http://localhost:${port}/callback`
    const base = ['login', '--api-base', apiBase, '--auth-base', authBase, '--client-id', 'cli-app']
    expect(await main([...base, '--redirect-uri', other], io)).toBe(1)
    expect(output).toContain(`the redirect address ${other} isn’t registered`)
    expect(output).toContain('give the registered address with --redirect-uri')
    expect(await main([...base, '--redirect-uri', 'http://example.com:1/callback'], io)).toBe(2)

    output = ''
    const running = main([...base, '--redirect-uri', redirectUri], io)
    const url = await waitFor(() => /^\s+(http\S+authorize\S+)$/m.exec(output)?.[1])
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(redirectUri)
    await playBrowser(url)
    expect(await running).toBe(0)
    expect(output).toContain('Connected to')
    const keychain = createCredentialStore()
    expect(await keychain.get(`constant-contact/custom ${apiBase} ${authBase}/redirect`)).toBe(
      JSON.stringify({ host: '127.0.0.1', port }),
    )
    expect(await main(['logout'], io)).toBe(0)
  })
})
