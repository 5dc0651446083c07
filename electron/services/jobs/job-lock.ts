/**
 * One sender, one uploader and one report writer at a time per job: `send.lock` / `upload.lock` /
 * `report.lock` in the job folder, created with O_EXCL (it exists or it doesn't; two processes can't
 * both create it). It names its holder (process ID, computer, time).
 * A lock whose process is gone (killed, crashed) is stale and is taken over; breaking it is itself
 * guarded by a second exclusive file, so two waiting senders can't both break it and then both send.
 */
import { closeSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { UserFacingError } from '../../../shared/errors'
import { parseJsonAs } from '../files/json-text'
import { PRIVATE_FILE_MODE } from '../files/private'

/** What a lock keeps to one process at a time: sending a job's emails, uploading its contacts, writing its report. */
export type JobLockKind = 'send' | 'upload' | 'report'
export const JOB_LOCK_FILES: Record<JobLockKind, string> = {
  send: 'send.lock',
  upload: 'upload.lock',
  report: 'report.lock',
}
const BREAK_SUFFIX = '.break'
/** A lock from another computer (a shared folder) is trusted this long; its process can't be checked. */
const FOREIGN_LOCK_TRUST_MS = 10 * 60_000
/** A lock file still empty (or naming no holder) after this long was left by a process that died while creating it. */
const EMPTY_LOCK_GRACE_MS = 5_000
const BREAK_LOCK_GRACE_MS = 10_000
const POLL_MS = 100

/** What a lock file says of its holder. One that doesn't match names no holder that can be checked: see {@link isStale}. */
const LockContentSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  token: z.string(),
  since: z.string(),
  purpose: z.string(),
})
type LockContent = z.infer<typeof LockContentSchema>

/** Tokens of locks this process holds (a lock with our PID but an unknown token is a leftover). */
const heldHere = new Set<string>()

export interface JobLock {
  release(): void
}

export interface LockOptions {
  /** How long to wait for another sender to finish (default 0: say so at once). */
  waitMs?: number
  purpose?: string
}

export async function acquireJobLock(jobDir: string, kind: JobLockKind, options: LockOptions = {}): Promise<JobLock> {
  return acquireFileLock(join(jobDir, JOB_LOCK_FILES[kind]), {
    waitMs: options.waitMs,
    purpose: options.purpose ?? kind,
    busyError: (otherComputer) => busyError(kind, otherComputer),
  })
}

/** A lock file anywhere (a routine's run lock uses it too): the same rules as the job locks above. */
export interface FileLockOptions {
  waitMs?: number
  purpose: string
  /** The error when someone else holds it; `otherComputer` names the holder's computer when it isn't this one. */
  busyError: (otherComputer: string | undefined) => Error
}

export async function acquireFileLock(path: string, options: FileLockOptions): Promise<JobLock> {
  const until = Date.now() + (options.waitMs ?? 0)
  for (;;) {
    const lock = tryCreate(path, options.purpose)
    if (lock) return lock
    const holder = readHolder(path)
    if (holder !== 'gone' && isStale(path, holder)) {
      breakStaleLock(path, holder)
      continue
    }
    if (holder === 'gone') continue
    if (Date.now() >= until)
      throw options.busyError(holder !== 'unreadable' && holder.host !== hostname() ? holder.host : undefined)
    await sleep(POLL_MS)
  }
}

/** Whether a live process holds the lock file at `path` (a stale one, left by a dead process, doesn't count). */
export function isLockHeld(path: string): boolean {
  const holder = readHolder(path)
  return holder !== 'gone' && !isStale(path, holder)
}

/** Runs `work` while holding one of the job's locks. */
export async function withJobLock<T>(
  jobDir: string,
  kind: JobLockKind,
  options: LockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const lock = await acquireJobLock(jobDir, kind, options)
  try {
    return await work()
  } finally {
    lock.release()
  }
}

function tryCreate(path: string, purpose: string): JobLock | undefined {
  let fd: number
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE_MODE)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined
    throw error
  }
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    token: randomUUID(),
    since: new Date().toISOString(),
    purpose,
  }
  try {
    writeSync(fd, JSON.stringify(content))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  heldHere.add(content.token)
  let released = false
  return {
    release() {
      if (released) return
      released = true
      heldHere.delete(content.token)
      // Remove it only if it is still ours (it always should be).
      const now = readHolder(path)
      if (now !== 'gone' && now !== 'unreadable' && now.token === content.token) unlinkQuietly(path)
    },
  }
}

function readHolder(path: string): LockContent | 'unreadable' | 'gone' {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  return parseJsonAs(LockContentSchema, text) ?? 'unreadable'
}

function isStale(path: string, holder: LockContent | 'unreadable'): boolean {
  const age = ageMs(path)
  if (holder === 'unreadable') return age > EMPTY_LOCK_GRACE_MS
  if (holder.host !== hostname()) return age > FOREIGN_LOCK_TRUST_MS
  if (holder.pid === process.pid) return !heldHere.has(holder.token)
  return !processAlive(holder.pid)
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs
  } catch {
    return 0
  }
}

/**
 * Removes a stale lock, making sure it is still the same stale lock: whoever creates the break file
 * first re-reads the lock and removes it only if its holder hasn't changed.
 */
function breakStaleLock(path: string, judged: LockContent | 'unreadable'): void {
  const breakPath = `${path}${BREAK_SUFFIX}`
  let fd: number
  try {
    fd = openSync(breakPath, 'wx', PRIVATE_FILE_MODE)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    // Someone else is breaking it; a break file left by a crash is cleared after a while.
    if (ageMs(breakPath) > BREAK_LOCK_GRACE_MS) unlinkQuietly(breakPath)
    return
  }
  closeSync(fd)
  try {
    const now = readHolder(path)
    const same =
      now === 'gone'
        ? false
        : now === 'unreadable' || judged === 'unreadable'
          ? now === judged
          : now.token === judged.token
    if (same) unlinkQuietly(path)
  } finally {
    unlinkQuietly(breakPath)
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

function busyError(kind: JobLockKind, otherComputer: string | undefined): UserFacingError {
  const where = otherComputer ? ` on the computer “${otherComputer}”` : ''
  if (kind === 'report') {
    return new UserFacingError(
      'report_busy',
      `Another Splitsend window${where} is writing the report of this job and hasn’t finished.`,
      'Try again in a moment.',
    )
  }
  if (kind === 'upload') {
    return new UserFacingError(
      'upload_busy',
      `Another Splitsend window${where} is uploading the contacts of this job right now.`,
      'Wait for it to finish, then open this job again: it shows what was uploaded. Nothing is uploaded twice.',
    )
  }
  return new UserFacingError(
    'send_busy',
    `Another Splitsend window${where} is sending the emails of this job right now.`,
    'Wait for it to finish, then look at this job again: it shows what was sent. Nothing is sent twice.',
  )
}
