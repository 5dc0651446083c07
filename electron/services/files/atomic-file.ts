/**
 * The one way to write a file whose presence means "complete" (job.json, summary.json, the report
 * files, the practice account's state, a routine's files and its schedule): the content goes to a
 * temporary name next to it, is flushed to disk (fsync), then renamed over the real name. A reader
 * sees the old file or the new one, never half of one, even after a crash or a full disk. A write
 * that fails removes its temporary file. The temporary name is hidden and unique to the write, so
 * two writers of the same file can't mix their bytes: the last rename wins and either file is whole.
 *
 * `writeFileAtomically` blocks its thread (workers, the command, small files);
 * `writeFileAtomicallyAsync` doesn't (files written on the thread that serves requests).
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { PRIVATE_FILE_MODE } from './private'

export interface AtomicWriteOptions {
  /**
   * Also flush the folder after the rename, so the new name itself survives a power cut. Needed
   * where the file's presence is acted on (job.json: "this folder is a complete job").
   */
  syncFolder?: boolean
  /** Permissions of a newly created file (default 0o600: the person's data stays theirs). */
  mode?: number
}

/** Writes pieces of text as they are made; {@link writeFileAtomically} buffers them into large writes. */
export type TextProducer = (write: (text: string) => void) => void

const TEMP_TAIL = /^\d+-[0-9a-f]{12}\.tmp$/
const BUFFERED_CHARS = 1 << 20

export function writeFileAtomically(
  path: string,
  content: string | Uint8Array | TextProducer,
  options: AtomicWriteOptions = {},
): void {
  const temp = tempNameFor(path)
  let renamed = false
  try {
    const fd = openSync(temp, 'wx', options.mode ?? PRIVATE_FILE_MODE)
    try {
      writeContent(fd, content)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
    renamed = true
    if (options.syncFolder) syncFolder(dirname(path))
  } finally {
    if (!renamed) rmSync(temp, { force: true })
  }
}

export async function writeFileAtomicallyAsync(
  path: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temp = tempNameFor(path)
  let renamed = false
  try {
    const file = await open(temp, 'wx', options.mode ?? PRIVATE_FILE_MODE)
    try {
      await file.writeFile(content)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temp, path)
    renamed = true
    if (options.syncFolder) await syncFolderAsync(dirname(path))
  } finally {
    if (!renamed) await rm(temp, { force: true })
  }
}

export function writeJsonAtomically(path: string, value: unknown, options: AtomicWriteOptions = {}): void {
  writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`, options)
}

/**
 * Removes temporary files that writes of `path` left when their process was killed mid-write.
 * Call it only where no other write of `path` can be under way (e.g. holding the job's lock).
 */
export function removeLeftoverTemps(path: string): void {
  const prefix = `.${basename(path)}.`
  let names: string[]
  try {
    names = readdirSync(dirname(path))
  } catch {
    return
  }
  for (const name of names) {
    if (name.startsWith(prefix) && TEMP_TAIL.test(name.slice(prefix.length)))
      rmSync(join(dirname(path), name), { force: true })
  }
}

/** Makes the folder's entries (a new or renamed file's name) durable. Windows neither needs nor allows it. */
export function syncFolder(dir: string): void {
  if (process.platform === 'win32') return
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

async function syncFolderAsync(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** `.<name>.<process>-<random>.tmp` beside it: hidden, unique per write, recognisable by {@link removeLeftoverTemps}. */
function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
}

function writeContent(fd: number, content: string | Uint8Array | TextProducer): void {
  if (typeof content === 'string') return writeAll(fd, Buffer.from(content, 'utf8'))
  if (content instanceof Uint8Array) return writeAll(fd, content)
  let pending: string[] = []
  let size = 0
  const flush = (): void => {
    if (pending.length) writeAll(fd, Buffer.from(pending.join(''), 'utf8'))
    pending = []
    size = 0
  }
  content((text) => {
    pending.push(text)
    size += text.length
    if (size >= BUFFERED_CHARS) flush()
  })
  flush()
}

/** writeSync may write less than asked (e.g. a nearly full disk); go on until all of it is written. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done)
}
