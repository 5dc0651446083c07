/**
 * The one contract between the renderer and the Node side ("main").
 *
 * Every request the renderer can make and every event main pushes is declared here, once, with a
 * run-time schema. Main validates every payload against these schemas; the Electron preload and the
 * web bridge's browser side are both generated from this object, so the two transports cannot drift.
 *
 * Pure TypeScript: no Node, DOM or Electron imports (see shared/tsconfig.json).
 */
import { z } from 'zod'
import type { ContractErrorData } from './errors'
import { FileIdSchema, JobIdSchema, RunIdSchema } from './ids'
import { none, request, type RequestSpec } from './channels/request'
import { sendEvents, sendRequests } from './channels/send'
import { uploadEvents, uploadRequests } from './channels/upload'
import {
  FlagAssignmentsSchema,
  PrepareOptionsSchema,
  PrepareProgressSchema,
  PrepareSummarySchema,
  ReadOptionsSchema,
  ResultsPageQuerySchema,
  ResultsPageSchema,
  SourceInspectionSchema,
} from './prepare/schemas'

// ---------------------------------------------------------------------------------------------
// Payload schemas

const fileId = FileIdSchema

/** A spreadsheet main has been given (picked, dropped or uploaded); the renderer only ever sees this. */
export const AttachedFile = z.object({
  fileId,
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
})
export type AttachedFile = z.infer<typeof AttachedFile>

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport carries the contract: the desktop app or the web bridge. */
  host: z.enum(['electron', 'web']),
  platform: z.string(),
})
export type AppInfo = z.infer<typeof AppInfo>

const jobId = JobIdSchema
const runId = RunIdSchema

export const PrepareRunResult = z.object({ jobId, summary: PrepareSummarySchema })
export type PrepareRunResult = z.infer<typeof PrepareRunResult>

export const PrepareProgressEvent = z.object({ runId, progress: PrepareProgressSchema })

export const FolderChoice = z.object({
  /** The folder the person chose; null where the host has no folder picker (then main chooses). */
  folder: z.string().nullable(),
  cancelled: z.boolean(),
})
export type FolderChoice = z.infer<typeof FolderChoice>

/** Which Constant Contact account Splitsend is connected to. Never holds a secret. */
export const AccountStatus = z.object({
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
})
export type AccountStatus = z.infer<typeof AccountStatus>

/** What the person must do to finish signing in, pushed while `account.connect` waits. */
export const SignInPrompt = z.discriminatedUnion('kind', [
  /** The sign-in page was opened in the browser; the link is shown in case it did not open. */
  z.object({ kind: z.literal('browser'), url: z.string() }),
  /** Device flow: enter this code at this address. */
  z.object({
    kind: z.literal('device'),
    userCode: z.string(),
    verificationUri: z.string(),
    verificationUriComplete: z.string().optional(),
    expiresAt: z.string(),
  }),
])
export type SignInPrompt = z.infer<typeof SignInPrompt>

// ---------------------------------------------------------------------------------------------
// The contract

export const requests = {
  /** Name, version and which host the app runs in. */
  'app.info': request(none, AppInfo),
  /** Ask the person for a spreadsheet with the host's own file picker; null when they cancel. */
  'files.pick': request(none, AttachedFile.nullable(), { host: true }),
  /** Register a file the person dropped on the window, by its path on disk (desktop app). */
  'files.attachPath': request(z.object({ path: z.string().min(1).max(4096) }), AttachedFile),
  /** Read the beginning of a file: format, columns, first rows, suggested mapping (fast, even for huge files). */
  'prepare.inspect': request(
    z.object({
      fileId,
      read: ReadOptionsSchema.optional(),
      flagColumn: z.number().int().min(0).optional(),
      flags: FlagAssignmentsSchema.optional(),
    }),
    SourceInspectionSchema,
  ),
  /** The full pass: every row into group 0, group 1 or the problems list, written to the file's job folder. */
  'prepare.run': request(z.object({ fileId, runId, options: PrepareOptionsSchema }), PrepareRunResult),
  /** Stop a full pass (the pending run then fails with code `cancelled`). */
  'prepare.cancel': request(z.object({ runId }), z.boolean()),
  /** A page of a prepared job's groups or problems, for the review tables. */
  'prepare.page': request(z.object({ jobId, query: ResultsPageQuerySchema }), ResultsPageSchema),
  /** Copy a prepared job's files (groups, problems, summary) to a folder; returns where they went. */
  'prepare.save': request(
    z.object({ jobId, folder: z.string().min(1).max(4096).nullable() }),
    z.object({ folder: z.string(), files: z.array(z.string()) }),
  ),
  /** Ask the person for a folder with the host's own picker. */
  'dialog.chooseFolder': request(z.object({ title: z.string().max(200) }), FolderChoice, { host: true }),
  /** Which account is connected (no secrets). */
  'account.status': request(none, AccountStatus),
  /** Whether the app's Constant Contact API key (client ID) is in the keychain. */
  'account.hasApiKey': request(none, z.boolean()),
  /** Store the app's Constant Contact API key (client ID) in the keychain. It never comes back out. */
  'account.saveApiKey': request(z.object({ apiKey: z.string().min(1).max(200) }), z.boolean()),
  /** Sign in (browser with PKCE, or device code) to a real account or the practice account; resolves when done. */
  'account.connect': request(z.object({ mode: z.enum(['browser', 'device']), practice: z.boolean() }), AccountStatus),
  /** Give up a sign-in that is waiting for the person. */
  'account.cancelConnect': request(none, z.boolean()),
  /** Remove every Constant Contact secret from the keychain. */
  'account.disconnect': request(none, AccountStatus),
  /** Open a web address in the system browser, if it is on Splitsend's allow-list. */
  'links.openExternal': request(z.object({ url: z.string().max(2048) }), z.boolean(), { host: true }),
  ...uploadRequests,
  ...sendRequests,
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const events = {
  /** A sign-in needs the person: open this page, or enter this code. */
  'account.signIn': SignInPrompt,
  /** How far a full Prepare pass has got. */
  'prepare.progress': PrepareProgressEvent,
  ...uploadEvents,
  ...sendEvents,
} satisfies Record<string, z.ZodType>

// ---------------------------------------------------------------------------------------------
// Types derived from the contract

export type RequestName = keyof typeof requests
export type EventName = keyof typeof events
export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]['input']>
export type RequestOutput<N extends RequestName> = z.output<(typeof requests)[N]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>
/** Requests whose implementation belongs to the host (Electron shell or web bridge), not to the services. */
export type HostRequestName = { [N in RequestName]: (typeof requests)[N]['host'] extends true ? N : never }[RequestName]
export type ServiceRequestName = Exclude<RequestName, HostRequestName>
/** How main pushes an event to the renderer, whichever the transport. */
export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void

/** What every request resolves to on the wire: errors are data, so both transports carry them alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractErrorData }

export const requestNames = Object.keys(requests) as RequestName[]
export const eventNames = Object.keys(events) as EventName[]
export const hostRequestNames = requestNames.filter((name): name is HostRequestName => requests[name].host)

/** The Electron IPC channel that carries a request or an event (prefixed, so foreign channels are easy to reject). */
export const requestChannel = (name: RequestName): string => `splitsend:request:${name}`
export const eventChannel = (name: EventName): string => `splitsend:event:${name}`

/**
 * What a transport exposes to the renderer: one function per request (resolving to an envelope),
 * `subscribe` for events, and `attachFile` to hand main a file the person dropped.
 */
export type RawBridge = {
  request: { [N in RequestName]: (input: RequestInput<N>) => Promise<Envelope<RequestOutput<N>>> }
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  /** Give main a file the person dropped; how the bytes or path travel is the transport's business. */
  attachFile(file: File): Promise<Envelope<AttachedFile>>
}

/** The renderer finds the desktop app's bridge under this global name. */
export const BRIDGE_GLOBAL = 'splitsend'

// `File` is a DOM type; shared/ must not depend on DOM typings, so it is declared structurally here.
interface File {
  readonly name: string
  readonly size: number
}
