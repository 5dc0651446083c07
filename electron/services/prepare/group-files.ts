import type { GroupKey } from '../../../shared/ids'
import { dropRecords, IndexedCsvWriter } from './job-files'

/**
 * The two group files of the full pass (group-0.csv, group-1.csv and their indexes). Written here
 * on the pass's own thread ({@link LocalGroupFiles}), or for a large source with a helper thread
 * (see fast/group-files-thread.ts), which writes the same bytes.
 */
export interface GroupFiles {
  /** Writes one record (given without its CRLF line break) to a group file. */
  addLine(key: GroupKey, line: string, row: number): void
  /** Records written to each file so far. */
  readonly counts: Record<GroupKey, number>
  /**
   * Writes what is still waiting, closes the files, and takes out the records `drop` lists (record
   * numbers in increasing order, see dropRecords). With a helper thread this goes on in the
   * background: the promise settles when it is done, rejecting when it failed.
   */
  close(drop: Record<GroupKey, readonly number[]>): Promise<void>
  /** After a failure or a cancel: stops writing at once, leaving the files as they are. */
  abort(): Promise<void>
}

export interface GroupFilePaths {
  csv: string
  index: string
}

/** The group files written on the pass's own thread. */
export class LocalGroupFiles implements GroupFiles {
  private readonly files: Record<GroupKey, IndexedCsvWriter>
  private open = true

  constructor(
    protected readonly paths: Record<GroupKey, GroupFilePaths>,
    preamble: string,
  ) {
    this.files = {
      '0': new IndexedCsvWriter(paths['0'].csv, paths['0'].index, preamble),
      '1': new IndexedCsvWriter(paths['1'].csv, paths['1'].index, preamble),
    }
  }

  get counts(): Record<GroupKey, number> {
    return { '0': this.files['0'].count, '1': this.files['1'].count }
  }

  addLine(key: GroupKey, line: string, row: number): void {
    this.files[key].addLine(line, row)
  }

  async close(drop: Record<GroupKey, readonly number[]>): Promise<void> {
    this.closeFiles()
    if (drop['0'].length + drop['1'].length > 0) await this.dropRecords(drop)
  }

  async abort(): Promise<void> {
    try {
      this.closeFiles()
    } catch {
      // The files are about to be removed; a failing last write does not matter.
    }
  }

  /** Takes the records `drop` lists out of the closed files. */
  protected async dropRecords(drop: Record<GroupKey, readonly number[]>): Promise<void> {
    dropRecords(this.paths['0'].csv, this.paths['0'].index, drop['0'])
    dropRecords(this.paths['1'].csv, this.paths['1'].index, drop['1'])
  }

  private closeFiles(): void {
    if (!this.open) return
    this.open = false
    try {
      this.files['0'].close()
    } finally {
      this.files['1'].close()
    }
  }
}
