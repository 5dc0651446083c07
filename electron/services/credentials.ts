import { Entry } from '@napi-rs/keyring'
import { UserFacingError } from '../../shared/errors'

/** The keychain service name every Splitsend secret is stored under (desktop app and command alike). */
export const KEYCHAIN_SERVICE = 'Splitsend'

/**
 * Secrets in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux).
 * There is deliberately no fallback to a file: if no keychain is reachable, every call fails with a
 * message that says what to install.
 */
export interface CredentialStore {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  /** Returns whether something was deleted. */
  delete(account: string): Promise<boolean>
}

export function createCredentialStore(service: string = KEYCHAIN_SERVICE): CredentialStore {
  const entry = (account: string): Entry => {
    if (!account) throw new Error('A keychain account name is required')
    return new Entry(service, account)
  }
  return {
    async get(account) {
      return guard(() => entry(account).getPassword() ?? null)
    },
    async set(account, secret) {
      guard(() => entry(account).setPassword(secret))
    },
    async delete(account) {
      return guard(() => entry(account).deletePassword())
    },
  }
}

function guard<T>(action: () => T): T {
  try {
    return action()
  } catch (error) {
    throw keychainUnavailable(error)
  }
}

function keychainUnavailable(cause: unknown): UserFacingError {
  const platformHint =
    process.platform === 'linux'
      ? 'Install and start a Secret Service keyring (for example the packages gnome-keyring and libsecret-1-0, or KWallet), sign in to your desktop so it is unlocked, then try again.'
      : process.platform === 'darwin'
        ? 'Open the Keychain Access app, make sure your login keychain is unlocked, then try again.'
        : 'Make sure Windows Credential Manager is available for your user account, then try again.'
  const error = new UserFacingError(
    'keychain_unavailable',
    'Splitsend could not reach this computer’s password store (keychain), where it keeps your Constant Contact sign-in.',
    platformHint,
  )
  ;(error as Error & { cause?: unknown }).cause = cause
  return error
}
