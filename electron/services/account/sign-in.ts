import { SPLITSEND_SCOPES } from '../constant-contact/endpoints'
import { ConstantContactError } from '../constant-contact/errors'
import type { EndpointRef } from './endpoint-ref'
import {
  DEFAULT_REDIRECT_PORT,
  loopbackRedirectUri,
  redirectPortFromEnvironment,
  startLoopbackReceiver,
} from './loopback'
import { OAuthError, type DeviceCodePrompt, type OAuthClient, type TokenRecord } from './oauth'
import { createPkce, randomState } from './pkce'
import { followPracticeConsent } from './practice'

export interface SignInSettings {
  /** Opens the consent page in the person's browser. */
  openBrowser: (url: string) => void | Promise<void>
  /** How long to wait for the browser to come back (default 10 minutes). */
  timeoutMs?: number
  /** The loopback port for the redirect (see {@link redirectPortFor}). */
  redirectPort?: number
}

/**
 * The port Constant Contact sends the browser back to: for the real Constant Contact a fixed one
 * (its redirect address must be registered exactly: the setting, else SPLITSEND_REDIRECT_PORT,
 * else {@link DEFAULT_REDIRECT_PORT}); for the practice account and other addresses any free port.
 */
function redirectPortFor(ref: EndpointRef, configured?: number): number {
  return ref.kind === 'real'
    ? (configured ?? redirectPortFromEnvironment() ?? DEFAULT_REDIRECT_PORT)
    : (configured ?? 0)
}

/** For the real Constant Contact: the redirect address to register for the app. */
export function redirectUriOf(ref: EndpointRef, configured?: number): { redirectUri?: string } {
  return ref.kind === 'real' ? { redirectUri: loopbackRedirectUri(redirectPortFor(ref, configured)) } : {}
}

/** Signs in through the browser (PKCE) or with a device code; Constant Contact's refusals in plain words. */
export async function signIn(
  mode: 'browser' | 'device',
  ref: EndpointRef,
  oauth: OAuthClient,
  settings: SignInSettings,
  onDeviceCode?: (prompt: DeviceCodePrompt) => void,
  signal?: AbortSignal,
): Promise<TokenRecord> {
  try {
    return mode === 'device'
      ? await signInWithDevice(oauth, onDeviceCode, signal)
      : await signInWithBrowser(ref, oauth, settings, signal)
  } catch (error) {
    if (error instanceof OAuthError) {
      throw new ConstantContactError(
        'cc_sign_in_failed',
        'Constant Contact did not let Splitsend connect.',
        `Press Connect again. If it keeps happening, check the API key. (${error.error})`,
        { cause: error },
      )
    }
    throw error
  }
}

/** Authorization Code + PKCE (S256) with a loopback redirect on 127.0.0.1: one callback, `state` checked. */
async function signInWithBrowser(
  ref: EndpointRef,
  oauth: OAuthClient,
  settings: SignInSettings,
  signal?: AbortSignal,
): Promise<TokenRecord> {
  const pkce = createPkce()
  const state = randomState()
  const receiver = await startLoopbackReceiver({
    state,
    port: redirectPortFor(ref, settings.redirectPort),
    timeoutMs: settings.timeoutMs ?? 10 * 60_000,
    ...(signal ? { signal } : {}),
  })
  try {
    const url = oauth.authorizeUrl({
      redirectUri: receiver.redirectUri,
      state,
      codeChallenge: pkce.challenge,
      scopes: SPLITSEND_SCOPES,
    })
    // The practice account approves by itself, so there is nothing for a person to see.
    await (ref.kind === 'practice' ? followPracticeConsent(url) : settings.openBrowser(url))
    const code = await receiver.code
    return await oauth.exchangeCode({ code, redirectUri: receiver.redirectUri, codeVerifier: pkce.verifier }, signal)
  } finally {
    receiver.close()
  }
}

/** Device flow: "enter this code at …" through `onDeviceCode`, then polling until the person has. */
async function signInWithDevice(
  oauth: OAuthClient,
  onDeviceCode: ((prompt: DeviceCodePrompt) => void) | undefined,
  signal?: AbortSignal,
): Promise<TokenRecord> {
  const device = await oauth.startDeviceFlow(SPLITSEND_SCOPES, signal)
  onDeviceCode?.(device.prompt)
  return oauth.pollDeviceFlow(
    { deviceCode: device.deviceCode, intervalSeconds: device.intervalSeconds, expiresAt: device.prompt.expiresAt },
    signal,
  )
}
