import type { accountRequests } from '../../../shared/channels/account'
import type { EventSink } from '../../../shared/contract'
import { UserFacingError } from '../../../shared/errors'
import type { AccountService } from './index'
import type { Handlers } from '../contract-dispatch'

type AccountRequest = keyof typeof accountRequests

/**
 * Connecting a Constant Contact account, over the contract. Secrets never leave the account service.
 * When Constant Contact ends the sign-in (the account removed Splitsend's access), the renderer is
 * told at once with `account.changed`, so the app can go back to Connect whatever it was doing.
 */
export function createAccountHandlers(
  account: AccountService,
  emit: EventSink,
  /** Whether an upload or a send is under way (here or in another process): the practice account isn't reset under it. */
  workUnderWay: () => Promise<boolean> | boolean = () => false,
): Pick<Handlers, AccountRequest> {
  let signIn: AbortController | undefined
  account.onSignInEnded(() => {
    void account.status().then(
      (status) => emit('account.changed', status),
      () => {}, // the next request that needs the account says what is wrong
    )
  })

  return {
    'account.status': () => account.status(),
    'account.apiKey': () => account.apiKeyStatus('real'),
    'account.saveApiKey': async ({ apiKey }) => {
      await account.saveApiKey(apiKey, 'real')
      return true
    },
    'account.setRedirect': async (address) => {
      await account.setRedirect(address, 'real')
      return account.status()
    },
    'account.connect': async ({ mode, practice }) => {
      signIn?.abort()
      const controller = new AbortController()
      signIn = controller
      try {
        return await account.connect(
          { mode, endpoint: practice ? 'practice' : 'real', signal: controller.signal },
          (prompt) => emit('account.signIn', { kind: 'device', ...prompt }),
        )
      } catch (error) {
        if (controller.signal.aborted) throw new UserFacingError('cancelled', 'Connecting was cancelled.')
        throw error
      } finally {
        if (signIn === controller) signIn = undefined
      }
    },
    'account.cancelConnect': () => {
      const waiting = signIn !== undefined
      signIn?.abort()
      return waiting
    },
    'account.resetPractice': async () => {
      if (await workUnderWay())
        throw new UserFacingError(
          'practice_busy',
          'The practice account can’t be reset while an upload or a send is under way.',
          'Wait until it has finished (or cancel it) in your list of jobs, then reset the practice account.',
        )
      await account.resetPractice()
      return true as const
    },
    'account.disconnect': async () => {
      await account.disconnect()
      return account.status()
    },
  }
}
