import { once } from 'node:events'
import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../../electron/services/cc-simulator/index'
import { createAccountService } from '../../../electron/services/account/index'
import { createOAuthClient, expiresAt } from '../../../electron/services/account/oauth'
import { createPkce } from '../../../electron/services/account/pkce'
import { startLoopbackReceiver } from '../../../electron/services/account/loopback'
import { DEFAULT_REDIRECT_PORT, redirectPortFromEnvironment } from '../../../electron/services/account/redirect'
import { createRateLimiter } from '../../../electron/services/constant-contact/rate-limiter'
import { ConstantContactError } from '../../../electron/services/constant-contact/errors'
import { TEST_TOKEN_REQUESTS_PER_SECOND, testTokenGate } from '../pace'
import {
  connectedAccount,
  FAST_RETRY,
  freePort,
  memoryCredentials,
  playBrowser,
  waitFor,
  closeAfterEach,
} from './helpers'

const closeLater = closeAfterEach()

async function sim(options: Parameters<typeof startSimulator>[0] = {}): Promise<RunningSimulator> {
  const s = await startSimulator({ speed: 'fast', tokenRequestsPerSecond: TEST_TOKEN_REQUESTS_PER_SECOND, ...options })
  closeLater(() => s.close())
  return s
}

const gate = testTokenGate

describe('PKCE sign-in with a loopback redirect', () => {
  it('connects end to end through the consent page the test approves like a person', async () => {
    const s = await sim({ autoApprove: false })
    const credentials = memoryCredentials()
    const opened: string[] = []
    const account = createAccountService({
      credentials,
      openBrowser: async (url) => {
        opened.push(url)
        await playBrowser(url, 'allow')
      },
      limiter: createRateLimiter(),
      tokenGate: gate(),
      retry: FAST_RETRY,
    })
    closeLater(() => account.close())
    const endpoint = { apiBase: s.apiBase, authBase: s.authBase }
    await account.saveApiKey('my-app-key', endpoint)
    const status = await account.connect({ mode: 'browser', endpoint })

    expect(status).toMatchObject({
      connected: true,
      practice: false,
      endpoint: 'custom',
      accountName: expect.stringContaining('Practice'),
      email: 'owner@practice.example',
    })
    const url = new URL(opened[0]!)
    expect(url.pathname).toBe('/oauth2/default/v1/authorize')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('scope')).toBe('contact_data campaign_data account_read offline_access')
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/callback$/)
    expect(url.searchParams.get('client_id')).toBe('my-app-key')

    // The loopback listener is closed once the one callback arrived.
    await expect(fetch(url.searchParams.get('redirect_uri')!)).rejects.toThrow()
    // Tokens are in the (stand-in) keychain, never in what the UI receives.
    const stored = JSON.parse([...credentials.entries].find(([k]) => k.endsWith('/tokens'))![1]) as {
      access_token: string
      refresh_token: string
    }
    expect(stored.refresh_token).toBeTruthy()
    expect(JSON.stringify(status)).not.toContain(stored.access_token)
    const client = await account.client()
    expect((await client.getAccountSummary()).organization_name).toContain('Practice')
  })

  it('reports a declined consent in plain words', async () => {
    const s = await sim({ autoApprove: false })
    const account = createAccountService({
      credentials: memoryCredentials(),
      openBrowser: (url) => void playBrowser(url, 'deny'),
      tokenGate: gate(),
      limiter: createRateLimiter(),
    })
    const endpoint = { apiBase: s.apiBase, authBase: s.authBase }
    await account.saveApiKey('my-app-key', endpoint)
    await expect(account.connect({ mode: 'browser', endpoint })).rejects.toMatchObject({
      code: 'cc_sign_in_cancelled',
      message: expect.stringContaining('cancelled'),
    })
    expect((await account.status()).connected).toBe(false)
  })

  it('asks for the API key before connecting to a real account', async () => {
    const account = createAccountService({ credentials: memoryCredentials(), openBrowser: () => {} })
    await expect(account.connect({ mode: 'browser', endpoint: 'real' })).rejects.toMatchObject({
      code: 'cc_api_key_missing',
    })
  })

  it('sends the real Constant Contact back to one fixed, registrable address, and says which', async () => {
    expect(
      (await createAccountService({ credentials: memoryCredentials(), openBrowser: () => {} }).status()).redirectUri,
    ).toBe(`http://localhost:${DEFAULT_REDIRECT_PORT}/callback`)
    const port = await freePort()
    const opened: string[] = []
    const account = createAccountService({
      credentials: memoryCredentials(),
      openBrowser: (url) => void opened.push(url),
      redirectPort: port,
      // Constant Contact's sign-in page, as it answers when the computer is online.
      fetch: async () =>
        new Response('<html>Sign in</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
    })
    await account.saveApiKey('my-api-key')
    expect((await account.status()).redirectUri).toBe(`http://localhost:${port}/callback`)
    const controller = new AbortController()
    const connecting = account
      .connect({ mode: 'browser', endpoint: 'real', signal: controller.signal })
      .catch((e: unknown) => e)
    await waitFor(async () => opened[0], 5_000, 20)
    const consent = new URL(opened[0]!)
    expect(consent.origin).toBe('https://authz.constantcontact.com')
    expect(consent.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/callback`)
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256')
    controller.abort(new Error('stopped by the test'))
    await connecting
  })

  it('ends a sign-in with a plain message when Constant Contact can’t be reached, instead of waiting forever', async () => {
    // No internet: requests get no answer at all, until given up.
    const offline: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
    const opened: string[] = []
    const account = createAccountService({
      credentials: memoryCredentials(),
      openBrowser: (url) => void opened.push(url),
      redirectPort: await freePort(),
      fetch: offline,
      reachabilityTimeoutMs: 300,
      tokenGate: createRateLimiter({ perWindow: 100, windowMs: 1000 }),
    })
    await account.saveApiKey('my-api-key')
    const started = Date.now()
    await expect(account.connect({ mode: 'browser', endpoint: 'real' })).rejects.toMatchObject({
      code: 'cc_unreachable',
      message: 'Splitsend can’t reach Constant Contact, so it can’t sign you in.',
    })
    expect(opened).toHaveLength(0) // no browser page that can't load
    await expect(account.connect({ mode: 'device', endpoint: 'real' })).rejects.toMatchObject({
      code: 'cc_unreachable',
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((await account.status()).connected).toBe(false)
  })

  it('says in plain words when the sign-in port is taken, and reads the port setting carefully', async () => {
    const port = await freePort()
    const blocker = createServer().listen(port, '127.0.0.1')
    await once(blocker, 'listening')
    try {
      const error = (await startLoopbackReceiver({ state: 's', port }).catch((e: unknown) => e)) as ConstantContactError
      expect(error).toBeInstanceOf(ConstantContactError)
      expect(error.message).toContain(`another program on this computer is using port ${port}`)
      expect(error.hint).toContain('choose another port for the redirect address')
    } finally {
      blocker.close()
    }
    expect(redirectPortFromEnvironment({ SPLITSEND_REDIRECT_PORT: ' 50123 ' })).toBe(50123)
    for (const bad of ['', 'abc', '80', '70000', '-1', '1e4'])
      expect(redirectPortFromEnvironment({ SPLITSEND_REDIRECT_PORT: bad })).toBeUndefined()
  })

  it('the loopback listener ignores a callback with the wrong state and keeps waiting', async () => {
    const receiver = await startLoopbackReceiver({ state: 'right-state', timeoutMs: 5_000 })
    const wrong = await fetch(`${receiver.redirectUri}?code=stolen&state=wrong-state`)
    expect(wrong.status).toBe(400)
    const right = await fetch(`${receiver.redirectUri}?code=good&state=right-state`)
    expect(right.status).toBe(200)
    await expect(receiver.code).resolves.toBe('good')
    expect(new URL(receiver.redirectUri).hostname).toBe('127.0.0.1')
  })

  it('authorization codes are single use, expire after 5 minutes, and need the right PKCE verifier', async () => {
    const s = await sim({ autoApprove: true })
    const oauth = createOAuthClient({ authBase: s.authBase, clientId: 'c1', gate: gate() })
    const getCode = async (challenge: string): Promise<{ code: string; redirectUri: string }> => {
      const receiver = await startLoopbackReceiver({ state: 'st' })
      await playBrowser(
        oauth.authorizeUrl({
          redirectUri: receiver.redirectUri,
          state: 'st',
          codeChallenge: challenge,
          scopes: ['contact_data', 'offline_access'],
        }),
      )
      return { code: await receiver.code, redirectUri: receiver.redirectUri }
    }
    const pkce = createPkce()
    const first = await getCode(pkce.challenge)
    await expect(oauth.exchangeCode({ ...first, codeVerifier: createPkce().verifier })).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    // …and a code that was tried once is spent, even with the right verifier now.
    await expect(oauth.exchangeCode({ ...first, codeVerifier: pkce.verifier })).rejects.toMatchObject({
      error: 'invalid_grant',
    })

    const second = await getCode(pkce.challenge)
    s.control.advanceTime(5 * 60_000 + 1_000)
    await expect(oauth.exchangeCode({ ...second, codeVerifier: pkce.verifier })).rejects.toMatchObject({
      error: 'invalid_grant',
    })

    const third = await getCode(pkce.challenge)
    const tokens = await oauth.exchangeCode({ ...third, codeVerifier: pkce.verifier })
    expect(tokens.expires_at - Date.now()).toBeGreaterThan(23.9 * 3600_000 - 6 * 60_000) // 24 hours, clock moved 5 min
  })

  it('reads expires_in as a lifetime, or as a timestamp when it is one', () => {
    expect(expiresAt(86400, 1_000)).toBe(1_000 + 86_400_000)
    expect(expiresAt(1_900_000_000, 1_000)).toBe(1_900_000_000_000)
  })
})

describe('device flow', () => {
  it('shows a code, waits for the person to approve it, then connects', async () => {
    const s = await sim({ autoApprove: false, deviceIntervalSeconds: 1 })
    const account = createAccountService({
      credentials: memoryCredentials(),
      openBrowser: () => {},
      tokenGate: gate(),
      limiter: createRateLimiter(),
    })
    const endpoint = { apiBase: s.apiBase, authBase: s.authBase }
    await account.saveApiKey('device-app', endpoint)
    let shown = ''
    const devicePolls = () => s.control.tokenRequests().filter((r) => r.grantType.endsWith('device_code'))
    const status = await account.connect({ mode: 'device', endpoint }, (prompt) => {
      shown = prompt.userCode
      // As the contract pushes it to the renderer: an ISO date-time, in the future.
      expect(prompt.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/)
      expect(Date.parse(prompt.expiresAt)).toBeGreaterThan(Date.now())
      // The person opens the page on another device and approves once Splitsend has asked, in vain, at least once.
      void (async () => {
        await waitFor(() => (devicePolls().length ? true : undefined), 10_000, 20)
        const page = await fetch(prompt.verificationUriComplete!)
        expect(await page.text()).toContain(prompt.userCode)
        await fetch(prompt.verificationUri, {
          method: 'POST',
          body: new URLSearchParams({ user_code: prompt.userCode, decision: 'allow' }),
        })
      })()
    })
    expect(shown).toMatch(/^[A-Z]{4}-[A-Z]{4}$/)
    expect(status.connected).toBe(true)
    const polls = devicePolls()
    expect(polls.length).toBeGreaterThanOrEqual(2)
    expect(polls[0]!.status).not.toBe(200) // still pending the first time
    expect(polls.at(-1)!.status).toBe(200)
    await account.close()
  })
})

describe('token renewal', () => {
  it('renews on a 401 mid-run exactly once for many concurrent calls, and rotates the refresh token', async () => {
    const { sim: s, account, credentials, close } = await connectedAccount()
    closeLater(close)
    const tokensKey = [...credentials.entries.keys()].find((k) => k.endsWith('/tokens'))!
    const before = JSON.parse(credentials.entries.get(tokensKey)!) as { refresh_token: string; access_token: string }
    const client = await account.client()
    await client.getLists()

    s.control.expireAccessTokens() // the token expires in the middle of the run
    const results = await Promise.all(Array.from({ length: 6 }, () => client.getLists()))
    expect(results.every((r) => Array.isArray(r.lists))).toBe(true)

    const refreshes = s.control.tokenRequests().filter((r) => r.grantType === 'refresh_token' && r.status === 200)
    expect(refreshes).toHaveLength(1)
    const after = JSON.parse(credentials.entries.get(tokensKey)!) as { refresh_token: string; access_token: string }
    expect(after.refresh_token).not.toBe(before.refresh_token)
    expect(after.access_token).not.toBe(before.access_token)

    // Rotation: the old refresh token no longer works.
    const oauth = createOAuthClient({ authBase: s.authBase, clientId: 'test-client-id', gate: gate() })
    await expect(oauth.refresh(before.refresh_token)).rejects.toMatchObject({ error: 'invalid_grant' })
  })

  it('renews before the access token expires, without waiting for a 401', async () => {
    const { sim: s, credentials, close } = await connectedAccount()
    closeLater(close)
    // Four minutes left on the access token: inside the 5-minute renewal margin.
    const tokensKey = [...credentials.entries.keys()].find((k) => k.endsWith('/tokens'))!
    const stored = JSON.parse(credentials.entries.get(tokensKey)!) as { expires_at: number }
    credentials.entries.set(tokensKey, JSON.stringify({ ...stored, expires_at: Date.now() + 4 * 60_000 }))
    // A new service, as after a restart, reads the keychain.
    const restarted = createAccountService({
      credentials,
      openBrowser: () => {},
      limiter: createRateLimiter(),
      tokenGate: gate(),
      retry: FAST_RETRY,
    })
    closeLater(() => restarted.close())
    await (await restarted.client()).getLists()
    expect(s.control.tokenRequests().filter((r) => r.grantType === 'refresh_token' && r.status === 200)).toHaveLength(1)
    expect(s.control.requests().map((r) => r.status)).not.toContain(401)
    expect((JSON.parse(credentials.entries.get(tokensKey)!) as { expires_at: number }).expires_at).toBeGreaterThan(
      Date.now() + 23 * 3600_000,
    )
  })

  it('asks to connect again when the refresh token is revoked, and keeps the account name', async () => {
    const { sim: s, account, close } = await connectedAccount()
    closeLater(close)
    const client = await account.client()
    s.control.revokeRefreshTokens()
    s.control.expireAccessTokens()
    const error = await client.getLists().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConstantContactError)
    expect(error).toMatchObject({
      code: 'cc_reconnect_needed',
      message: 'Splitsend is no longer connected to your Constant Contact account.',
    })
    expect((error as ConstantContactError).hint).toMatch(/Nothing you prepared is lost/)
    const status = await account.status()
    expect(status).toMatchObject({
      connected: false,
      needsReconnect: true,
      accountName: expect.stringContaining('Practice'),
    })
    await expect(account.client()).rejects.toMatchObject({ code: 'cc_reconnect_needed' })
  })
})
