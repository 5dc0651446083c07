/** Connecting a Constant Contact account: the Connect step's part of the contract (see ../contract.ts). */
import { z } from 'zod'
import { none, request, type RequestSpec } from './request'

/** Which Constant Contact account Splitsend is connected to. Never holds a secret. */
const AccountStatusSchema = z.object({
  connected: z.boolean(),
  /** The practice account (a local stand-in for Constant Contact), not a real one. */
  practice: z.boolean(),
  endpoint: z.enum(['real', 'practice', 'custom']),
  /** The API address, for the custom endpoint only (a developer setting). */
  apiBase: z.string().optional(),
  accountName: z.string().optional(),
  email: z.string().optional(),
  /** The connection ended (the sign-in expired or was revoked): connect again; nothing is lost. */
  needsReconnect: z.boolean(),
  /** For the real Constant Contact: the redirect address to register for the app in the developer portal. */
  redirectUri: z.string().optional(),
  /**
   * For the practice account: what happened to its saved data, in plain words (it couldn't be read,
   * was set aside and the account started again as new).
   */
  practiceNotice: z.string().optional(),
})
export type AccountStatus = z.infer<typeof AccountStatusSchema>

/** The redirect address Constant Contact sends the browser back to: http://HOST:PORT/callback. */
export const RedirectAddressSchema = z.object({
  host: z.enum(['localhost', '127.0.0.1']),
  port: z.number().int().min(1024).max(65535),
})
export type RedirectAddress = z.infer<typeof RedirectAddressSchema>

/** What the device flow shows the person: "go to `verificationUri` and enter `userCode`" (until `expiresAt`, ISO). */
const DeviceCodePromptSchema = z.object({
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string().optional(),
  expiresAt: z.string(),
})
export type DeviceCodePrompt = z.infer<typeof DeviceCodePromptSchema>

/** What the person must do to finish signing in, pushed while `account.connect` waits. */
const SignInPromptSchema = z.discriminatedUnion('kind', [
  /** The sign-in page was opened in the browser; the link is shown in case it did not open. */
  z.object({ kind: z.literal('browser'), url: z.string() }),
  /** Device flow: enter this code at this address. */
  DeviceCodePromptSchema.extend({ kind: z.literal('device') }),
])

export const accountRequests = {
  /** Which account is connected (no secrets). */
  'account.status': request(none, AccountStatusSchema),
  /**
   * Whether the app's Constant Contact API key (client ID) is in the keychain, and its last four
   * characters (only for a key of 12 or more), so the person can tell which key is saved.
   */
  'account.apiKey': request(none, z.object({ saved: z.boolean(), ending: z.string().max(4).nullable() })),
  /** Store the app's Constant Contact API key (client ID) in the keychain. It never comes back out. */
  'account.saveApiKey': request(z.object({ apiKey: z.string().min(1).max(200) }), z.boolean()),
  /** Set the redirect address registered for the app in Constant Contact's developer portal; returns the new status. */
  'account.setRedirect': request(RedirectAddressSchema, AccountStatusSchema),
  /** Sign in (browser with PKCE, or device code) to a real account or the practice account; resolves when done. */
  'account.connect': request(
    z.object({ mode: z.enum(['browser', 'device']), practice: z.boolean() }),
    AccountStatusSchema,
  ),
  /** Give up a sign-in that is waiting for the person. */
  'account.cancelConnect': request(none, z.boolean()),
  /**
   * The practice account back to how it started: its lists, contacts and imports gone, its campaigns
   * in draft again (refused while an upload or send is under way). Whoever is connected stays connected.
   */
  'account.resetPractice': request(none, z.literal(true)),
  /** Remove every Constant Contact secret from the keychain. */
  'account.disconnect': request(none, AccountStatusSchema),
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const accountEvents = {
  /** A sign-in needs the person: open this page, or enter this code. */
  'account.signIn': SignInPromptSchema,
  /** The connection changed without the renderer asking (Constant Contact ended the sign-in): the new status. */
  'account.changed': AccountStatusSchema,
} satisfies Record<string, z.ZodType>
