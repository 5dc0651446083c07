/** The Connect step's types, derived from the contract (shared/contract.ts). */
import type { EventPayload, RequestInput, RequestOutput } from '../../../../shared/contract'

export type AccountStatus = RequestOutput<'account.status'>
export type SignInPrompt = EventPayload<'account.signIn'>
export type RedirectAddress = RequestInput<'account.setRedirect'>
/** Which API key is saved: whether one is, and its last characters (the key itself stays in the keychain). */
export type ApiKeyState = RequestOutput<'account.apiKey'>
