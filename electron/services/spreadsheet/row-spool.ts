import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PRIVATE_FILE_MODE } from '../files/private'

/**
 * The rows of a workbook's last read, kept in a private temporary file (one JSON array a line), so
 * that particular rows can be read again without parsing the sheet's XML a second time — the full
 * pass needs the original cells of the rows it takes out of a group after the read (conflicts).
 * A CSV file needs none of this: its rows are read again from their place in the file.
 */
export class RowSpool {
  private dir: string | undefined
  private fd: number | undefined
  private size = 0
  private pending: string[] = []
  private pendingBytes = 0
  /** Whether the spool holds a whole read (false while reading, or after a read that stopped). */
  private complete = false

  /** Starts a new read: whatever the last one kept is dropped. */
  begin(): void {
    this.closeFile()
    this.dir ??= mkdtempSync(join(tmpdir(), 'splitsend-rows-'))
    this.fd = openSync(join(this.dir, 'rows.jsonl'), 'w+', PRIVATE_FILE_MODE)
    this.size = 0
    this.complete = false
  }

  /** Keeps one row's cells; returns where they are, for {@link read}. */
  add(cells: readonly string[]): { start: number; end: number } {
    const line = `${JSON.stringify(cells)}\n`
    const bytes = Buffer.byteLength(line)
    const start = this.size + this.pendingBytes
    this.pending.push(line)
    this.pendingBytes += bytes
    if (this.pendingBytes >= 1 << 20) this.flush()
    return { start, end: start + bytes }
  }

  /** The read reached the end: the spool can answer for any of its rows. */
  end(): void {
    this.flush()
    this.complete = true
  }

  get usable(): boolean {
    return this.complete && this.fd !== undefined
  }

  /** The cells kept at each span, by row number. */
  read(rows: ReadonlyArray<{ row: number; start: number; end: number }>): Map<number, string[]> {
    const found = new Map<number, string[]>()
    for (const { row, start, end } of rows) {
      const buffer = Buffer.allocUnsafe(end - start)
      let done = 0
      while (done < buffer.length) {
        const n = readSync(this.fd!, buffer, done, buffer.length - done, start + done)
        if (n === 0) throw new Error('The kept rows of the workbook ended early')
        done += n
      }
      const cells: unknown = JSON.parse(buffer.toString('utf8'))
      if (!isCells(cells)) throw new Error('The kept rows of the workbook were changed while it was read')
      found.set(row, cells)
    }
    return found
  }

  dispose(): void {
    this.closeFile()
    if (this.dir) rmSync(this.dir, { recursive: true, force: true })
    this.dir = undefined
  }

  private flush(): void {
    if (this.pending.length === 0) return
    writeSync(this.fd!, this.pending.join(''), this.size)
    this.size += this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
  }

  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    this.pending = []
    this.pendingBytes = 0
    this.complete = false
  }
}

/**
 * A row as {@link RowSpool.add} keeps it. The spool is this process's own private file, written
 * moments before, so a schema would only restate this; the check is here so that a file changed
 * under it fails the read rather than put something else than cells into a group.
 */
function isCells(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((cell) => typeof cell === 'string')
}
