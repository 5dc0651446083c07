import { StringDecoder } from 'node:string_decoder'
import type { Readable } from 'node:stream'
import { createInflateRaw } from 'node:zlib'
import yauzl from 'yauzl'
import { WorkbookDamage } from './damage'

/**
 * How many times the packed bytes taken in so far a part may unpack to, once it is past
 * {@link RATIO_GRACE_BYTES}. Zip bombs reach about 1,000 (zeros) or 400 (repeated XML); real
 * workbooks' sheets and shared text stay near 10-15. A styles part bloated by copying and pasting
 * reaches 300, but is a few megabytes: under the grace.
 */
const MAX_INFLATE_RATIO = 100
/** Up to this, a part may unpack to any ratio: small parts compress very well, and cost little. */
const RATIO_GRACE_BYTES = 16 * 1024 * 1024
/** More parts than a workbook ever has: the listing alone would fill memory. */
const MAX_ENTRIES = 10_000

/** The parts of a zip file (an .xlsx is one), read on demand so nothing is loaded whole. */
export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static open(path: string): Promise<ZipArchive> {
    return new Promise((resolve, reject) => {
      yauzl.open(
        path,
        { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true },
        (error, zip) => {
          if (error || !zip) return reject(error ?? new Error('zip could not be opened'))
          if (zip.entryCount > MAX_ENTRIES) {
            zip.close()
            return reject(new WorkbookDamage('damaged', `it holds ${zip.entryCount.toLocaleString('en-US')} parts`))
          }
          const entries = new Map<string, yauzl.Entry>()
          zip.on('entry', (entry: yauzl.Entry) => {
            // Some writers use backslashes or a leading slash; part names are case-insensitive.
            entries.set(entry.fileName.replace(/\\/g, '/').replace(/^\//, '').toLowerCase(), entry)
            zip.readEntry()
          })
          zip.once('end', () => resolve(new ZipArchive(zip, entries)))
          zip.once('error', reject)
          zip.readEntry()
        },
      )
    })
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase())
  }

  /** The unpacked size the zip states for a part (for progress only: the reading itself never trusts it). */
  size(name: string): number {
    return this.entries.get(name.toLowerCase())?.uncompressedSize ?? 0
  }

  /** Reads a small part (workbook.xml, styles.xml...) as text, refusing one that unpacks to more than `maxBytes`. */
  async readText(name: string, maxBytes: number): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of this.unpack(name, maxBytes)) chunks.push(chunk)
    return Buffer.concat(chunks).toString('utf8')
  }

  /**
   * Streams a part as UTF-8 text, refusing one that unpacks to more than `maxBytes`. `onText`
   * returns false to stop early; `onBytes` reports the unpacked bytes read so far.
   */
  async streamText(
    name: string,
    maxBytes: number,
    onText: (text: string) => boolean | void,
    onBytes?: (bytes: number) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const decoder = new StringDecoder('utf8')
    let bytes = 0
    for await (const chunk of this.unpack(name, maxBytes)) {
      signal?.throwIfAborted()
      bytes += chunk.length
      onBytes?.(bytes)
      if (onText(decoder.write(chunk)) === false) return
    }
    const rest = decoder.end()
    if (rest) onText(rest)
  }

  close(): void {
    this.zip.close()
  }

  /**
   * A part's unpacked bytes, counted as they come out of the inflater against the packed bytes
   * gone into it: the part is refused as soon as it passes `maxBytes`, or {@link MAX_INFLATE_RATIO}
   * times the packed bytes the inflater has taken in so far. The sizes the zip states are not trusted for this (they
   * are checked at the end, as a sign of damage).
   */
  private async *unpack(name: string, maxBytes: number): AsyncGenerator<Buffer> {
    const entry = this.entries.get(name.toLowerCase())
    if (!entry) throw new WorkbookDamage('damaged', `its part ${name} is missing`)
    if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8))
      throw new WorkbookDamage('damaged', `its part ${name} is packed in a way spreadsheet programs don't use`)
    const raw = await this.openRaw(entry, name)
    let bytes = 0
    const inflater = entry.compressionMethod === 8 ? createInflateRaw() : undefined
    const unpacked: Readable = inflater ? raw.pipe(inflater) : raw
    raw.on('error', (error) => unpacked.destroy(error))
    // What the inflater has taken in so far: it takes in packed bytes as it gives out unpacked ones.
    const packed = (): number => (inflater ? inflater.bytesWritten : bytes)
    try {
      for await (const chunk of unpacked) {
        bytes += (chunk as Buffer).length
        if (bytes > maxBytes)
          throw new WorkbookDamage('damaged', `its part ${name} unpacks to more than ${megabytes(maxBytes)}`)
        if (bytes > RATIO_GRACE_BYTES && bytes > packed() * MAX_INFLATE_RATIO)
          throw new WorkbookDamage(
            'damaged',
            `its part ${name} unpacks to more than ${MAX_INFLATE_RATIO} times its packed size`,
          )
        // More than the zip states is damage too (less is found at the end).
        if (bytes > entry.uncompressedSize) throw new Error('sizes differ')
        yield chunk as Buffer
      }
      if (bytes !== entry.uncompressedSize) throw new Error('sizes differ')
    } catch (error) {
      if (error instanceof WorkbookDamage) throw error
      // Inflating failed, or the bytes do not match the sizes the zip states.
      throw new WorkbookDamage('damaged', `its part ${name} is damaged`)
    } finally {
      raw.unpipe()
      raw.destroy()
      unpacked.destroy()
    }
  }

  /** The part's bytes as they are in the file (packed). */
  private openRaw(entry: yauzl.Entry, name: string): Promise<Readable> {
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, { decodeFileData: false }, (error, stream) =>
        error || !stream ? reject(new WorkbookDamage('damaged', `its part ${name} is damaged`)) : resolve(stream),
      )
    })
  }
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024)).toLocaleString('en-US')} MB`
}
