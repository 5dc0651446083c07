/**
 * Reading a step's journal (`<step>-journal.jsonl`: one JSON entry per line, each fsync'ed before
 * the step goes on) back through its schema. The same rules for every journal:
 * - a last line without its newline was cut short by a crash while it was written: it was never
 *   confirmed, so it is left out (and cut off the file by a writer, so the next entry starts on a
 *   line of its own);
 * - a complete line is checked against its type's schema; one that isn't JSON or doesn't match is
 *   damaged, and what that means is the journal's to say ({@link JournalFormat.onDamaged}): skipped,
 *   when what it said is asked of Constant Contact again anyway, or a stop the person can act on;
 * - a type this version doesn't know was written by a later one: kept as it is, or left out.
 *
 * `readJournalFile` blocks its thread (workers, the command, journals that stay small);
 * `readJournalFileAsync` reads in pieces and gives the event loop back every few milliseconds, for
 * the thread that serves the person, so a journal that grows with a job never stalls it.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { z } from 'zod'
import { UserFacingError } from '../../../shared/errors'
import { schemaProblem } from './json-text'

/** Any journal's entry: a type and when it was written. */
export interface AnyEntry {
  type: string
  at: string
}

export interface JournalFormat<E extends AnyEntry> {
  /** The journal as a person would call it, in messages ("upload record"). */
  title: string
  /** Every entry of a type this version knows (a union on `type`). */
  schema: z.ZodType<E>
  /** The types `schema` knows: any other was written by a later version. */
  types: ReadonlySet<string>
  /** An entry of a type this version doesn't know: kept as written (a later step's), or left out. */
  unknown?: (entry: AnyEntry) => E | undefined
  /** What a damaged complete line (its type, when it could be read) means: skipped, or a stop. */
  onDamaged: (type: string | undefined) => 'skip' | 'stop'
  /** What the person can do when reading stops on a damaged line. */
  hint: string
}

/** The types a journal's union of entry schemas knows (its `types`). */
export function entryTypes(schema: {
  options: ReadonlyArray<{ shape: { type: { value: string } } }>
}): ReadonlySet<string> {
  return new Set(schema.options.map((option) => option.shape.type.value))
}

/** An entry as a writer gives it: its fields without the time (entryToWrite stamps it). */
export type WithoutTime<E> = E extends unknown ? Omit<E, 'at'> : never

/** At most this long on the thread between two turns of the event loop (async reading). */
const SLICE_MS = 4
/** Bytes read from the file at a time (async reading). */
const PIECE_BYTES = 64 * 1024
const NEWLINE = 0x0a

/** Turns complete lines into entries, counting lines for messages. */
class LineParser<E extends AnyEntry> {
  readonly entries: E[] = []
  private line = 0

  constructor(
    private readonly path: string,
    private readonly format: JournalFormat<E>,
  ) {}

  add(text: string): void {
    this.line++
    if (!text.trim()) return
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      this.damaged(undefined, 'it is not complete JSON')
      return
    }
    const type = isEntry(value) ? value.type : undefined
    if (type !== undefined && !this.format.types.has(type)) {
      const kept = this.format.unknown?.(value as AnyEntry)
      if (kept) this.entries.push(kept)
      return
    }
    const parsed = this.format.schema.safeParse(value, { reportInput: true })
    if (parsed.success) this.entries.push(parsed.data)
    else this.damaged(type, schemaProblem(parsed.error))
  }

  private damaged(type: string | undefined, problem: string): void {
    if (this.format.onDamaged(type) === 'skip') return
    throw new UserFacingError(
      'job_damaged',
      `The ${this.format.title} “${this.path}” is damaged at line ${this.line}${type ? ` (a “${type}” entry)` : ''}: ${problem}.`,
      this.format.hint,
    )
  }
}

/**
 * `entry` (its type's fields, without the time) stamped with the time and checked as it will be
 * read back, so what is written can always be read; with its schema's defaults. A field the schema
 * doesn't know is an error here rather than a field that silently never reaches the file.
 */
export function entryToWrite<E extends AnyEntry>(format: JournalFormat<E>, entry: object): E {
  const full = { ...entry, at: new Date().toISOString() }
  const checked = format.schema.safeParse(full)
  if (!checked.success)
    throw new Error(`A ${format.title} entry that can't be read back: ${schemaProblem(checked.error)}.`)
  const dropped = Object.keys(full).filter((key) => !(key in checked.data))
  if (dropped.length)
    throw new Error(`A ${format.title} entry with fields its schema doesn't know: ${dropped.join(', ')}.`)
  return checked.data
}

function isEntry(value: unknown): value is AnyEntry {
  return typeof value === 'object' && value !== null && typeof (value as AnyEntry).type === 'string'
}

/** The entries of a journal; `repair` cuts a torn last line off the file (writers only). */
export function readJournalFile<E extends AnyEntry>(path: string, format: JournalFormat<E>, repair = false): E[] {
  const bytes = readFileSync(path)
  const complete = bytes.lastIndexOf(NEWLINE) + 1
  if (repair && complete < bytes.length) cutAt(path, complete)
  const parser = new LineParser(path, format)
  for (const line of bytes.subarray(0, complete).toString('utf8').split('\n').slice(0, -1)) parser.add(line)
  return parser.entries
}

/** The same, in pieces that each take the thread a few milliseconds at most. */
export async function readJournalFileAsync<E extends AnyEntry>(
  path: string,
  format: JournalFormat<E>,
  repair = false,
): Promise<E[]> {
  const parser = new LineParser(path, format)
  const file = await open(path, 'r')
  let complete = 0
  try {
    // The start of a line not ended yet, as the pieces it came in: joined once, when its end comes.
    let carried: Buffer[] = []
    let sliceStart = performance.now()
    // One buffer for every piece: each line is decoded, and what is carried copied, before the next read.
    const piece = Buffer.allocUnsafe(PIECE_BYTES)
    for (let position = 0; ;) {
      const { bytesRead } = await file.read(piece, 0, PIECE_BYTES, position)
      if (bytesRead === 0) break
      position += bytesRead
      const bytes = piece.subarray(0, bytesRead)
      let from = 0
      for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, from)) {
        const line = carried.length ? Buffer.concat([...carried, bytes.subarray(from, end)]) : bytes.subarray(from, end)
        carried = []
        parser.add(line.toString('utf8'))
        complete += line.length + 1
        from = end + 1
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToEventLoop()
          sliceStart = performance.now()
        }
      }
      if (from < bytesRead) carried.push(Buffer.from(bytes.subarray(from)))
    }
    if (repair && carried.length) cutAt(path, complete)
  } finally {
    await file.close()
  }
  return parser.entries
}

function cutAt(path: string, length: number): void {
  const fd = openSync(path, 'r+')
  try {
    ftruncateSync(fd, length)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
