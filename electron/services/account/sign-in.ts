import { SPLITSEND_SCOPES } from '../constant-contact/endpoints'
import { ConstantContactError } from '../constant-contact/errors'
import type { EndpointRef } from './endpoint-ref'
import { startLoopbackReceiver } from './loopback'
import type { DeviceCodePrompt } from '../../../shared/channels/account'
import { OAuthError, type OAuthClient, type TokenRecord } from './oauth'
import { createPkce, randomState } from './pkce'
import { followPracticeConsent } from './practice'
import { DEFAULT_REDIRECT, redirectPortFromEnvironment, redirectUriOf, type RedirectAddress } from './redirect'
import type { SecretStore } from './secret-store'
import {
  appSetUpForBrowser,
  appSetUpForDevice,
  isWrongFlow,
  redirectNotRegistered,
  signInUnreachable,
  unknownApiKey,
} from './sign-in-errors'

export interface SignInSettings {
  /** Opens the consent page in the person's browser. */
  openBrowser: (url: string) => void | Promise<void>
  /** How long to wait for the browser to come back (default 10 minutes). */
  timeoutMs?: number
  /** Where Constant Contact sends the browser back to (see {@link redirectFor}). */
  redirect: RedirectAddress
}

/**
 * Where Constant Contact sends the browser back to. For the real Constant Contact the redirect URI
 * must be registered exactly: the address the person chose (kept with the API key), else
 * http://localhost:SPLITSEND_REDIRECT_PORT/callback, else {@link DEFAULT_REDIRECT}. For another
 * address the one chosen, else any free port on localhost; for the practice account, which never
 * opens a browser, any free port on 127.0.0.1. `port` (tests) overrides the port.
 */
export async function redirectFor(secrets: SecretStore, ref: EndpointRef, port?: number): Promise<RedirectAddress> {
  if (ref.kind === 'practice') return { host: '127.0.0.1', port: port ?? 0 }
  const chosen = await secrets.getRedirect(ref)
  if (port !== undefined) return { host: chosen?.host ?? 'localhost', port }
  if (chosen) return chosen
  if (ref.kind === 'real') return { host: 'localhost', port: redirectPortFromEnvironment() ?? DEFAULT_REDIRECT.port }
  return { host: 'localhost', port: 0 }
}

/** For the real Constant Contact: the exact redirect address to register for the app. */
export async function registrableRedirect(
  secrets: SecretStore,
  ref: EndpointRef,
  port?: number,
): Promise<{ redirectUri?: string }> {
  return ref.kind === 'real' ? { redirectUri: redirectUriOf(await redirectFor(secrets, ref, port)) } : {}
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
    if (error instanceof OAuthError) throw signInRefusal(error, mode, redirectUriOf(settings.redirect))
    throw error
  }
}

/** Authorization Code + PKCE (S256) with a loopback redirect: one callback, `state` checked. */
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
    host: settings.redirect.host,
    port: settings.redirect.port,
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
    if (ref.kind === 'practice') {
      // The practice account approves by itself, so there is nothing for a person to see.
      await followPracticeConsent(url)
    } else {
      await expectSignInPage(oauth, url, receiver.redirectUri, signal)
      await settings.openBrowser(url)
    }
    const code = await receiver.code
    return await oauth.exchangeCode({ code, redirectUri: receiver.redirectUri, codeVerifier: pkce.verifier }, signal)
  } finally {
    receiver.close()
  }
}

/**
 * Throws, explained, when the sign-in page would not lead back to Splitsend: Constant Contact
 * shows its own error page for an unregistered redirect URI (and a device-flow application has
 * none registered), and Splitsend would otherwise wait for a callback that never comes.
 */
async function expectSignInPage(
  oauth: OAuthClient,
  url: string,
  redirectUri: string,
  signal?: AbortSignal,
): Promise<void> {
  const check = await oauth.checkSignInPage(url, redirectUri, signal)
  if (check.kind === 'sent_back')
    throw signInRefusal(new OAuthError(check.error, check.description, 302), 'browser', redirectUri)
  if (check.kind === 'unreachable') throw signInUnreachable()
  if (check.kind !== 'refused') return
  // Which refusal: an application that takes the device flow is set up for it; one that doesn't
  // know the client ID has the wrong API key; otherwise the address isn't registered.
  try {
    await oauth.startDeviceFlow(SPLITSEND_SCOPES, signal)
  } catch (error) {
    if (error instanceof OAuthError && error.error === 'invalid_client') throw unknownApiKey()
    if (error instanceof OAuthError) throw redirectNotRegistered(redirectUri)
    throw error
  }
  throw appSetUpForDevice(redirectUri)
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

/**
 * The OAuth refusal of a sign-in, for the person: `unauthorized_client` means the application is
 * set up for the other flow.
 */
function signInRefusal(error: OAuthError, mode: 'browser' | 'device', redirectUri: string): ConstantContactError {
  if (isWrongFlow(error.error)) return mode === 'device' ? appSetUpForBrowser() : appSetUpForDevice(redirectUri)
  if (error.error === 'invalid_client') return unknownApiKey()
  return new ConstantContactError(
    'cc_sign_in_failed',
    'Constant Contact did not let Splitsend connect.',
    `Press Connect again. If it keeps happening, check the API key. (${error.error})`,
    { cause: error },
  )
}
