/**
 * The connected Constant Contact account, as the whole app sees it: one shared answer to
 * `account.status` (the header, Connect, Upload and Send all show it), changed by connecting and
 * disconnecting, and read again when main says the sign-in ended.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useApi } from '../../common/api/client'
import { ask, useAction, useRequest } from '../../common/api/queries'
import type { AccountStatus, SignInPrompt } from './types'

/** Error codes that mean the Constant Contact sign-in has ended or there is none. */
export const RECONNECT_CODES: ReadonlySet<string> = new Set(['cc_reconnect_needed', 'cc_not_connected'])

const STATUS = ask('account.status')
const API_KEY = ask('account.apiKey')

/**
 * Which account is connected. Read once for the whole app and kept up to date by the functions
 * below; after a failure it is read again when the person asks ("Try again"), not by every screen
 * that opens.
 */
export function useAccountStatus() {
  return useRequest(STATUS, { staleTime: Infinity, retryOnMount: false })
}

/**
 * Keeps the status current when main says the connection changed by itself (Constant Contact ended
 * the sign-in); the steps then go back to Connect (see Steps).
 */
export function useAccountChanges(): void {
  const api = useApi()
  const client = useQueryClient()
  useEffect(() => api.subscribe('account.changed', (next) => client.setQueryData(STATUS.key, next)), [api, client])
}

/** Reads the account status again when a failure's code says the sign-in ended or is missing. */
export function followSignInEnded(client: QueryClient, code: string): void {
  if (RECONNECT_CODES.has(code)) void client.invalidateQueries({ queryKey: STATUS.key })
}

/**
 * The new status everywhere at once. Everything else read so far may have come from the previous
 * account: it is read again when a screen shows it next (the Connect screen, where this happens,
 * shows none of it).
 */
function accountChanged(client: QueryClient, next: AccountStatus): void {
  client.setQueryData(STATUS.key, next)
  void client.invalidateQueries({
    predicate: (query) => !String(query.queryKey[0]).startsWith('account.'),
    refetchType: 'none',
  })
}

export function useConnect() {
  const client = useQueryClient()
  return useAction('account.connect', { onSuccess: (next) => accountChanged(client, next) })
}

export function useDisconnect() {
  const client = useQueryClient()
  return useAction('account.disconnect', { onSuccess: (next) => accountChanged(client, next) })
}

/** Whether Splitsend's API key (client ID) for the real Constant Contact is saved, and how it ends. */
export function useApiKey() {
  return useRequest(API_KEY, { staleTime: Infinity })
}

/** Saves the API key, then reads again which one is saved (to confirm it, masked). */
export function useSaveApiKey() {
  const client = useQueryClient()
  return useAction('account.saveApiKey', { onSuccess: () => client.invalidateQueries({ queryKey: API_KEY.key }) })
}

/** Sets the redirect address registered for the app; the status (which shows it) changes everywhere. */
export function useSetRedirect() {
  const client = useQueryClient()
  return useAction('account.setRedirect', { onSuccess: (next) => client.setQueryData(STATUS.key, next) })
}

/** What main asks the person to do to finish signing in (open a page, or enter a code); `clear` forgets it. */
export function useSignInPrompt(): { prompt: SignInPrompt | null; clear(): void } {
  const api = useApi()
  const [prompt, setPrompt] = useState<SignInPrompt | null>(null)
  useEffect(() => api.subscribe('account.signIn', setPrompt), [api])
  return { prompt, clear: () => setPrompt(null) }
}
