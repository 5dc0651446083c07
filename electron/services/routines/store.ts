/**
 * The routines on this computer: one folder per routine in Splitsend's data folder, shared by the app
 * and the command.
 *
 *   <dataDir>/routines/                       (0700)
 *     .store.lock                             held briefly while routines are created, renamed, imported, deleted
 *     monthly-app-usage-mailing/              (0700) named from the routine's name; "-2", "-3" … when two names clean alike
 *       routine.json                          (0600) the routine, pretty-printed (shared/routines/schema.ts); what export writes
 *       history.json                          (0600) its runs (shared/routines/history.ts); never exported
 *       run.lock                              while a run holds it (electron/services/jobs/job-lock.ts)
 *
 * The name inside routine.json is the routine's identity; the folder's name is only a readable label
 * (a rename changes routine.json first, then the folder, so a crash in between loses nothing).
 *
 *   const store = new RoutineStore({ dataDir })
 *   store.list()                                  → RoutineEntry[]        readable and broken routine files alike
 *   store.read(name)                              → Routine               routine_not_found / routine_file_invalid
 *   store.save(routine, { replace? })             → Routine               new, or (replace) an update of the same name
 *   store.rename(oldName, newName)                → Routine
 *   store.delete(name)                            → void                  with its history
 *   store.exportTo(name, file, { overwrite? })    → void                  the routine only, no history
 *   store.importFrom(file, { replace?, name? })   → Routine               validated (and upgraded) first
 *   store.lockRun(name, { waitMs? })              → RunLock               one run per routine at a time (routine_busy)
 *   store.isRunning(name)                         → boolean
 *   store.history(name)                           → RunRecord[]           oldest first
 *   store.beginRun(name, start)                   → RunRecord             call while holding lockRun
 *   store.finishRun(name, runId, end)             → RunRecord
 *
 * Renaming and deleting take the run lock too, so they wait for no one and refuse while a run holds it.
 * Routine files are small: every call reads what it needs again, so the app and the command never
 * see stale copies of each other's changes.
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { UserFacingError, toErrorData, type ContractErrorData } from '../../../shared/errors'
import {
  RoutineHistorySchema,
  exitCodeFor,
  type FinishedOutcome,
  type RunRecord,
} from '../../../shared/routines/history'
import {
  RoutineFileError,
  RoutineNameSchema,
  parseRoutineText,
  routineToText,
  sameRoutineName,
  type Routine,
} from '../../../shared/routines/schema'
import { writeFileAtomicallyAsync } from '../files/atomic-file'
import { ensurePrivateFolder, PRIVATE_FOLDER_MODE } from '../files/private'
import { acquireFileLock, isLockHeld, type JobLock } from '../jobs/job-lock'

const ROUTINE_FILE = 'routine.json'
const HISTORY_FILE = 'history.json'
const RUN_LOCK = 'run.lock'
const STORE_LOCK = '.store.lock'
/** A routine file is a few kilobytes; anything this big is not one (and is not read whole). */
const MAX_FILE_BYTES = 1 << 20
/** Runs kept per routine: years of monthly runs; older ones are dropped when a run is added. */
const MAX_RUNS = 1_000

export interface RoutineEntry {
  /** The routine's folder name. */
  key: string
  file: string
  routine?: Routine
  /** Why the routine's file (then `routine` is absent) or its history file can't be used, in words. */
  error?: ContractErrorData
  /** The newest run, if any. */
  lastRun?: RunRecord
}

export interface RunLock {
  release(): void
}

/** What a run knows when it starts; the rest comes with {@link RoutineStore.finishRun}. */
export type RunStart = Pick<RunRecord, 'jobDir' | 'source' | 'counts'>
export type RunEnd = Pick<RunRecord, 'jobDir' | 'source' | 'counts' | 'sent'> & { outcome: FinishedOutcome }

interface Located {
  dir: string
  routine: Routine
}

export class RoutineStore {
  readonly folder: string
  private readonly now: () => Date

  constructor(options: { dataDir: string; now?: () => Date }) {
    this.folder = join(options.dataDir, 'routines')
    this.now = options.now ?? (() => new Date())
  }

  async list(): Promise<RoutineEntry[]> {
    const entries: RoutineEntry[] = []
    for (const key of await this.folderNames()) {
      const dir = join(this.folder, key)
      const file = join(dir, ROUTINE_FILE)
      const entry: RoutineEntry = { key, file }
      try {
        entry.routine = await readRoutineFile(file)
        entry.lastRun = (await this.readHistory(dir)).at(-1)
      } catch (error) {
        entry.error = toErrorData(error)
      }
      entries.push(entry)
    }
    return entries.sort((a, b) => (a.routine?.name ?? a.key).localeCompare(b.routine?.name ?? b.key))
  }

  async read(name: string): Promise<Routine> {
    return (await this.locate(name)).routine
  }

  /** Saves a new routine; with `replace`, an existing one of the same name is updated (its history kept). */
  async save(routine: Routine, options: { replace?: boolean } = {}): Promise<Routine> {
    return this.withStoreLock(async () => {
      const saved = { ...routine, name: checkName(routine.name), updatedAt: this.now().toISOString() }
      const existing = await this.find(routine.name)
      if (existing) {
        if (!options.replace) throw exists(routine.name)
        await writeRoutine(existing.dir, saved)
        return saved
      }
      await writeRoutine(await this.newFolder(routine.name), saved)
      return saved
    })
  }

  async rename(oldName: string, wanted: string): Promise<Routine> {
    const newName = checkName(wanted)
    return this.withStoreLock(async () => {
      const { dir, routine } = await this.locate(oldName)
      const other = await this.find(newName)
      if (other && other.dir !== dir) throw exists(newName)
      return this.whileNotRunning(routine.name, dir, async () => {
        const renamed = { ...routine, name: newName, updatedAt: this.now().toISOString() }
        await writeRoutine(dir, renamed)
        // The folder follows the name; the run lock is ours, so it moves with the folder and is removed there.
        const newDir = await this.newFolder(newName, dir)
        if (newDir !== dir) await rm(join(newDir, RUN_LOCK), { force: true })
        return renamed
      })
    })
  }

  async delete(name: string): Promise<void> {
    await this.withStoreLock(async () => {
      const { dir, routine } = await this.locate(name)
      await this.whileNotRunning(routine.name, dir, () => rm(dir, { recursive: true, force: true }))
    })
  }

  /** Writes the routine (not its history) to a file for another computer. */
  async exportTo(name: string, file: string, options: { overwrite?: boolean } = {}): Promise<void> {
    const { routine } = await this.locate(name)
    if (!options.overwrite && existsSync(file))
      throw new UserFacingError(
        'file_exists',
        `“${file}” already exists.`,
        'Choose another file name, or say that it may be replaced.',
      )
    await writeFileAtomicallyAsync(file, routineToText(routine), { mode: 0o644, syncFolder: true })
  }

  /** Reads a routine exported elsewhere (any version Splitsend knows) and saves it here. */
  async importFrom(file: string, options: { replace?: boolean; name?: string } = {}): Promise<Routine> {
    const routine = await readRoutineFile(file)
    return this.save({ ...routine, name: options.name ?? routine.name }, { replace: options.replace })
  }

  async lockRun(name: string, options: { waitMs?: number } = {}): Promise<RunLock> {
    for (;;) {
      const { dir, routine } = await this.locate(name)
      const lock = await acquireFileLock(join(dir, RUN_LOCK), {
        waitMs: options.waitMs,
        purpose: `routine run: ${routine.name}`,
        busyError: (otherComputer) => busy(routine.name, otherComputer),
      })
      // A rename may have moved the routine between finding it and locking it: then find it again.
      if (
        existsSync(join(dir, ROUTINE_FILE)) &&
        sameRoutineName((await readRoutineFile(join(dir, ROUTINE_FILE))).name, name)
      )
        return lock
      lock.release()
    }
  }

  async isRunning(name: string): Promise<boolean> {
    const { dir } = await this.locate(name)
    return isLockHeld(join(dir, RUN_LOCK))
  }

  async history(name: string): Promise<RunRecord[]> {
    return this.readHistory((await this.locate(name)).dir)
  }

  /**
   * Records a run as started. The caller holds {@link lockRun}, so a run still marked as running in
   * the history was interrupted (the computer turned off, the process killed): it is closed as failed.
   */
  async beginRun(name: string, start: RunStart = {}): Promise<RunRecord> {
    const { dir } = await this.locate(name)
    const runs = (await this.readHistory(dir)).map((run) =>
      run.outcome.kind === 'running' ? finished(run, { outcome: INTERRUPTED }, run.startedAt) : run,
    )
    const record: RunRecord = {
      runId: randomUUID(),
      startedAt: this.now().toISOString(),
      ...start,
      outcome: { kind: 'running' },
    }
    await this.writeHistory(dir, [...runs, record])
    return record
  }

  async finishRun(name: string, runId: string, end: RunEnd): Promise<RunRecord> {
    const { dir } = await this.locate(name)
    const runs = await this.readHistory(dir)
    const index = runs.findIndex((run) => run.runId === runId)
    if (index < 0)
      throw new UserFacingError('run_not_found', `The routine “${name}” has no run ${runId} in its history.`)
    const record = finished(runs[index]!, end, this.now().toISOString())
    runs[index] = record
    await this.writeHistory(dir, runs)
    return record
  }

  // ---- finding routines ----------------------------------------------------------------------

  private async folderNames(): Promise<string[]> {
    try {
      const entries = await readdir(this.folder, { withFileTypes: true })
      return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }

  /** The routine of this name, or undefined; a broken file doesn't hide the others. */
  private async find(name: string): Promise<Located | undefined> {
    for (const key of await this.folderNames()) {
      const dir = join(this.folder, key)
      let routine: Routine
      try {
        routine = await readRoutineFile(join(dir, ROUTINE_FILE))
      } catch {
        continue
      }
      if (sameRoutineName(routine.name, name)) return { dir, routine }
    }
    return undefined
  }

  private async locate(name: string): Promise<Located> {
    const found = await this.find(name)
    if (found) return found
    // A broken file whose folder carries this name is most likely the one asked for: say what is wrong with it.
    const key = folderNameFor(name)
    for (const folder of await this.folderNames()) {
      if (folder !== key && !folder.startsWith(`${key}-`)) continue
      try {
        await readRoutineFile(join(this.folder, folder, ROUTINE_FILE))
      } catch (error) {
        if (error instanceof RoutineFileError) throw error
      }
    }
    const names = (await this.list()).flatMap((e) => (e.routine ? [`“${e.routine.name}”`] : []))
    throw new UserFacingError(
      'routine_not_found',
      `There is no routine named “${name}”.`,
      names.length
        ? `The routines on this computer are ${names.join(', ')}.`
        : 'There are no routines on this computer yet: save one at the end of a run.',
    )
  }

  /**
   * Creates a folder for a routine: its cleaned name, or with "-2", "-3" … when that is taken (by
   * another name that cleans alike). mkdir is the check: two saves can't both create one folder.
   * With `from`, that folder is renamed to it instead (unless it already has the right name).
   */
  private async newFolder(name: string, from?: string): Promise<string> {
    await ensurePrivateFolder(this.folder)
    const base = folderNameFor(name)
    for (let n = 1; n < 10_000; n++) {
      const dir = join(this.folder, n === 1 ? base : `${base}-${n}`)
      if (from === dir) return dir
      try {
        if (from) {
          if (existsSync(dir)) continue
          await rename(from, dir)
        } else {
          await mkdir(dir, { mode: PRIVATE_FOLDER_MODE })
        }
        return dir
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error
      }
    }
    throw new UserFacingError('routine_folder', `Splitsend could not make a folder for the routine “${name}”.`)
  }

  // ---- locks and history ---------------------------------------------------------------------

  private async withStoreLock<T>(work: () => Promise<T>): Promise<T> {
    await ensurePrivateFolder(this.folder)
    const lock = await acquireFileLock(join(this.folder, STORE_LOCK), {
      waitMs: 10_000,
      purpose: 'routines: save, rename, import or delete',
      busyError: () =>
        new UserFacingError(
          'routines_busy',
          'Another Splitsend window is changing the routines right now.',
          'Try again in a moment.',
        ),
    })
    return release(lock, work)
  }

  private async whileNotRunning<T>(name: string, dir: string, work: () => Promise<T>): Promise<T> {
    const lock = await acquireFileLock(join(dir, RUN_LOCK), {
      purpose: `routine change: ${name}`,
      busyError: (otherComputer) => busy(name, otherComputer),
    })
    return release(lock, work)
  }

  private async readHistory(dir: string): Promise<RunRecord[]> {
    const file = join(dir, HISTORY_FILE)
    let text: string
    try {
      text = await readSmallFile(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch {
      throw new RoutineFileError(file, undefined, 'it is not valid JSON')
    }
    const result = RoutineHistorySchema.safeParse(data)
    if (!result.success) {
      const issue = result.error.issues[0]!
      throw new RoutineFileError(file, issue.path.join(' › ') || undefined, `is not valid (${issue.message})`)
    }
    return result.data.runs
  }

  private async writeHistory(dir: string, runs: RunRecord[]): Promise<void> {
    const history = RoutineHistorySchema.parse({ version: 1, runs: runs.slice(-MAX_RUNS) })
    await writeFileAtomicallyAsync(join(dir, HISTORY_FILE), `${JSON.stringify(history, null, 2)}\n`, {
      syncFolder: true,
    })
  }
}

const INTERRUPTED: FinishedOutcome = {
  kind: 'failed',
  message: 'The run was interrupted before it finished (Splitsend was stopped or the computer turned off).',
}

function finished(run: RunRecord, end: Partial<RunEnd> & { outcome: FinishedOutcome }, at: string): RunRecord {
  return { ...run, ...end, finishedAt: at, exitCode: exitCodeFor(end.outcome) }
}

async function release<T>(lock: JobLock, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } finally {
    lock.release()
  }
}

/**
 * A folder name from any name a person types: letters and digits of any script kept (lower-cased,
 * since Windows and macOS don't tell case apart), everything else one "-", at most 60 characters,
 * and never one of the names Windows reserves for devices.
 */
export function folderNameFor(name: string): string {
  const cleaned = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
  const short = [...cleaned].slice(0, 60).join('').replace(/-+$/, '')
  if (short === '') return 'routine'
  return /^(con|prn|aux|nul|com\d|lpt\d)$/.test(short) ? `${short}-routine` : short
}

async function readRoutineFile(file: string): Promise<Routine> {
  let text: string
  try {
    text = await readSmallFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new RoutineFileError(file, undefined, 'it does not exist')
    if (code === 'EFBIG') throw new RoutineFileError(file, undefined, 'it is far too large to be a routine')
    throw error
  }
  return parseRoutineText(text, file)
}

async function readSmallFile(file: string): Promise<string> {
  const info = await stat(file)
  if (info.size > MAX_FILE_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' })
  return readFile(file, 'utf8')
}

async function writeRoutine(dir: string, routine: Routine): Promise<void> {
  await writeFileAtomicallyAsync(join(dir, ROUTINE_FILE), routineToText(routine), { syncFolder: true })
}

/** A name as the routine file holds it (trimmed), or an error in the person's words. */
function checkName(name: string): string {
  const result = RoutineNameSchema.safeParse(name)
  if (result.success) return result.data
  throw new UserFacingError(
    'routine_name_invalid',
    `“${name}” can't be a routine's name: it should be ${result.error.issues[0]!.message}.`,
    'Give the routine a name on one line, of at most 100 characters.',
  )
}

function exists(name: string): UserFacingError {
  return new UserFacingError(
    'routine_exists',
    `There is already a routine named “${name}”.`,
    'Choose another name, or update that routine instead.',
  )
}

function busy(name: string, otherComputer: string | undefined): UserFacingError {
  const where = otherComputer ? ` on the computer “${otherComputer}”` : ''
  return new UserFacingError(
    'routine_busy',
    `The routine “${name}” is running right now${where}.`,
    'Wait for that run to finish: its history shows how it ended. A routine runs once at a time.',
  )
}
