import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { UserFacingError } from '../../../shared/errors'
import type { GroupKey } from '../../../shared/ids'
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import { LocalError } from '../constant-contact/transport'
import { FINISHED_ACTIVITY_STATES, type Activity } from '../constant-contact/types'
import { syncFolder, writeFileAtomicallyAsync } from '../files/atomic-file'
import { DEFAULT_POLL_TIMING, PollSchedule, type PollTiming } from '../upload/poll-schedule'
import { fileSha256, MEMBERSHIP_FILES, membershipDir } from './files'
import { PRIVATE_FILE_MODE } from '../files/private'

/**
 * Reading a list's members: one contact export activity for the list, followed until it completes,
 * then its CSV file streamed to `membership/list-<group>-export.csv` (never held in memory). Cheap in
 * requests — a handful whatever the list's size, where paging GET /contacts costs one per 500.
 *
 * `membership/exports.json` records each list's export as it goes (asked for → saved, with the
 * file's SHA-256), so after a crash the same export activity is followed again rather than a new one
 * made, and a saved file is used again while it can be trusted: intact and recent enough.
 */
const SavedExportSchema = z.object({
  listId: z.string(),
  activityId: z.string(),
  /** This computer's clock when the export was asked for: the file shows the list as of then or later. */
  requestedAt: z.string(),
  state: z.enum(['running', 'saved']),
  sha256: z.string().optional(),
  bytes: z.number().optional(),
})
export type SavedExport = z.infer<typeof SavedExportSchema>

const ExportsStateSchema = z.object({
  version: z.literal(1),
  lists: z.object({ '0': SavedExportSchema.optional(), '1': SavedExportSchema.optional() }),
})
type ExportsState = z.infer<typeof ExportsStateSchema>

/**
 * How long a saved export stands for the list: long enough for a plan, the upload and the removals
 * of one sitting; after that a sign-up form or a colleague may have changed the list, so it is read again.
 */
const EXPORT_TRUST_MS = 6 * 3600_000

export interface ExportOptions {
  signal?: AbortSignal
  poll?: Partial<PollTiming>
  /** How old a saved export may be and still be used (default {@link EXPORT_TRUST_MS}); 0 always reads again. */
  trustMs?: number
  /** Each status Constant Contact gives while the export runs. */
  onStatus?: (status: Activity) => void
  /** Where the file's pieces also go as they download (the comparison reads it meanwhile). */
  sink?: ExportSink
}

/**
 * Something that reads an export as it downloads. A download that breaks off and is asked for
 * again begins again; `end` only after the whole file arrived (and was written to disk).
 */
export interface ExportSink {
  begin(): void
  /** One piece; the download waits when it returns a promise (the reader keeps up). */
  write(bytes: Uint8Array): Promise<void> | void
  end(): void
}

export function readExports(jobDir: string): ExportsState {
  const path = join(jobDir, MEMBERSHIP_FILES.exports)
  if (!existsSync(path)) return { version: 1, lists: {} }
  const parsed = ExportsStateSchema.safeParse(safeJson(readFileSync(path, 'utf8')))
  // A damaged state file only costs reading the lists again.
  return parsed.success ? parsed.data : { version: 1, lists: {} }
}

/** Both lists are exported at once: their updates of exports.json take turns (read, change, write). */
let recording: Promise<unknown> = Promise.resolve()

function recordExport(jobDir: string, group: GroupKey, saved: SavedExport): Promise<void> {
  const write = recording.then(async () => {
    membershipDir(jobDir)
    const state = readExports(jobDir)
    state.lists[group] = saved
    await writeFileAtomicallyAsync(join(jobDir, MEMBERSHIP_FILES.exports), `${JSON.stringify(state, null, 2)}\n`, {
      syncFolder: true,
    })
  })
  recording = write.catch(() => undefined)
  return write
}

/** Whether a saved export can stand for the list now: the same list, intact, and recent enough. */
export async function isTrustworthy(
  jobDir: string,
  group: GroupKey,
  saved: SavedExport | undefined,
  listId: string,
  trustMs = EXPORT_TRUST_MS,
  now = Date.now(),
): Promise<boolean> {
  if (!saved || saved.state !== 'saved' || saved.listId !== listId || !saved.sha256) return false
  if (trustMs <= 0 || now - Date.parse(saved.requestedAt) > trustMs) return false
  return (await fileSha256(join(jobDir, MEMBERSHIP_FILES.export(group)))) === saved.sha256
}

/**
 * The list's members as a saved export: the one on disk when it can be trusted, the export activity
 * a crash interrupted followed again, or a new export.
 */
export async function exportList(
  jobDir: string,
  client: CcClient,
  group: GroupKey,
  listId: string,
  options: ExportOptions = {},
): Promise<SavedExport> {
  const saved = readExports(jobDir).lists[group]
  if (await isTrustworthy(jobDir, group, saved, listId, options.trustMs)) return saved!
  // An export a crash interrupted is followed again (if it is still recent), rather than a new one made.
  let running =
    saved?.state === 'running' && saved.listId === listId && !isStale(saved.requestedAt, options.trustMs)
      ? saved
      : undefined
  let finished = running ? await followExport(client, running.activityId, options, true) : undefined
  if (!running || !finished) {
    running = await startExport(jobDir, client, group, listId, options)
    finished = await followExport(client, running.activityId, options, false)
  }
  const file = join(jobDir, MEMBERSHIP_FILES.export(group))
  const { sha256, bytes } = await downloadFinished(client, finished!, file, options)
  const done: SavedExport = { ...running, state: 'saved', sha256, bytes }
  await recordExport(jobDir, group, done)
  return done
}

/**
 * One export of a list's contacts made now and saved to `file`, with no state kept: for a check
 * that needs the list as it is after something changed it (an earlier export can't stand for it,
 * and after a crash the check is made again from the start).
 */
export async function exportListNow(
  client: CcClient,
  request: { listId: string; fields: string[]; status?: 'active' },
  file: string,
  options: Omit<ExportOptions, 'trustMs'> = {},
): Promise<{ sha256: string; bytes: number }> {
  const activityId = await createExport(
    client,
    { list_ids: [request.listId], fields: request.fields, ...(request.status ? { status: request.status } : {}) },
    options.signal,
  )
  const finished = await followExport(client, activityId, options, false)
  return downloadFinished(client, finished!, file, options)
}

/** Asks Constant Contact for an export; its activity ID, which an answer without one can't be followed without. */
async function createExport(
  client: CcClient,
  body: Parameters<CcClient['createContactExport']>[0],
  signal: AbortSignal | undefined,
): Promise<string> {
  const created = await client.createContactExport(body, signal ? { signal } : {})
  if (created.activity_id) return created.activity_id
  throw new UserFacingError(
    'membership_export_failed',
    'Constant Contact accepted the export of the list’s members without saying how to follow it.',
    'Try again in a few minutes.',
  )
}

/** A finished export's file saved; an export that didn't complete is said plainly. */
async function downloadFinished(
  client: CcClient,
  finished: Activity,
  file: string,
  options: Pick<ExportOptions, 'signal' | 'sink'>,
): Promise<{ sha256: string; bytes: number }> {
  if (finished.state !== 'completed') {
    throw new UserFacingError(
      'membership_export_failed',
      `Constant Contact couldn’t export the members of the list (its export ended “${finished.state}”).`,
      `Try again in a few minutes. ${finished.activity_errors?.[0] ?? ''}`.trim(),
    )
  }
  return downloadExport(client, fileExportId(finished), file, options)
}

function isStale(requestedAt: string, trustMs = EXPORT_TRUST_MS): boolean {
  return trustMs <= 0 || Date.now() - Date.parse(requestedAt) > trustMs
}

async function startExport(
  jobDir: string,
  client: CcClient,
  group: GroupKey,
  listId: string,
  options: ExportOptions,
): Promise<SavedExport> {
  const requestedAt = new Date().toISOString()
  const activityId = await createExport(
    client,
    { list_ids: [listId], fields: ['email_address', 'first_name', 'last_name'] },
    options.signal,
  )
  const running: SavedExport = { listId, activityId, requestedAt, state: 'running' }
  await recordExport(jobDir, group, running)
  return running
}

/**
 * Follows an export until it ends. `resumed`: an export a crash left behind, which Constant Contact
 * may have forgotten (10 days) — then undefined, and a new one is made.
 */
async function followExport(
  client: CcClient,
  activityId: string,
  options: ExportOptions,
  resumed: boolean,
): Promise<Activity | undefined> {
  const timing = { ...DEFAULT_POLL_TIMING, ...options.poll }
  const schedule = new PollSchedule(timing)
  const since = Date.now()
  let delay = resumed ? 0 : schedule.firstDelay(0)
  for (;;) {
    try {
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : {})
    } catch (error) {
      throw options.signal?.aborted ? options.signal.reason : error
    }
    let status: Activity
    try {
      status = await client.getActivity(activityId, options.signal ? { signal: options.signal } : {})
    } catch (error) {
      if (resumed && error instanceof ConstantContactError && error.code === 'cc_not_found') return undefined
      throw error
    }
    options.onStatus?.(status)
    if (FINISHED_ACTIVITY_STATES.has(status.state ?? '')) return status
    delay = Math.min(schedule.nextDelay(status, delay), exportWaitCap(since, timing.minMs))
  }
}

/**
 * The longest wait before an export's next status check: the time it has been followed so far (at
 * least `minMs`). An early status ("1 % after half a second") can project an end a minute away that
 * comes much sooner, and the person waits for the plan meanwhile; waits that at most double keep the
 * time lost under the time already spent, for one or two more requests per export.
 */
function exportWaitCap(since: number, minMs: number): number {
  return Math.max(minMs, Date.now() - since)
}

/**
 * The file's ID: the last part of the `results` link. The description's example spells that link
 * `/v3/contacts_exports/…` while the operation is `/contact_exports/{file_export_id}`, so only the ID
 * is taken from it; without a link, the operation's text says the activity's own ID names the file.
 */
function fileExportId(activity: Activity): string {
  const href = activity._links?.results?.href
  const last = href?.split('?')[0]?.split('/').filter(Boolean).at(-1)
  return last ? decodeURIComponent(last) : activity.activity_id!
}

/**
 * Streams the file to disk: a `.part` file beside it (started over if the connection breaks and the
 * request is retried, removed if the download fails), flushed, then renamed into place; each piece
 * also goes to the sink, if any. Returns its SHA-256 and size.
 */
async function downloadExport(
  client: CcClient,
  fileId: string,
  path: string,
  { signal, sink }: Pick<ExportOptions, 'signal' | 'sink'>,
): Promise<{ sha256: string; bytes: number }> {
  const part = `${path}.part`
  try {
    return await downloadInto(client, fileId, part, path, { signal, sink })
  } catch (error) {
    await rm(part, { force: true })
    throw error
  }
}

async function downloadInto(
  client: CcClient,
  fileId: string,
  part: string,
  path: string,
  { signal, sink }: Pick<ExportOptions, 'signal' | 'sink'>,
): Promise<{ sha256: string; bytes: number }> {
  const result = await client.readContactExportFile(
    fileId,
    async (body) => {
      const hash = createHash('sha256')
      let bytes = 0
      sink?.begin()
      const handle = await local(() => open(part, 'w', PRIVATE_FILE_MODE))
      try {
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          hash.update(chunk)
          bytes += chunk.length
          await local(() => handle.write(chunk))
          await sink?.write(chunk)
        }
        await local(() => handle.sync())
      } finally {
        await handle.close()
      }
      sink?.end()
      return { sha256: hash.digest('hex'), bytes }
    },
    signal ? { signal } : {},
  )
  await rename(part, path)
  syncFolder(dirname(path))
  if (statSync(path).size !== result.bytes) throw new Error('The saved export is not the size that was received')
  return result
}

/** Runs a file operation; its failure is this computer's (LocalError), never a reason to ask again. */
async function local<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw new LocalError(error)
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
