import { StringDecoder } from 'node:string_decoder'
import type { Readable } from 'node:stream'
import yauzl from 'yauzl'

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

  size(name: string): number {
    return this.entries.get(name.toLowerCase())?.uncompressedSize ?? 0
  }

  openStream(name: string): Promise<Readable> {
    const entry = this.entries.get(name.toLowerCase())
    if (!entry) return Promise.reject(new Error(`missing zip part ${name}`))
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, (error, stream) =>
        error || !stream ? reject(error ?? new Error('no stream')) : resolve(stream),
      )
    })
  }

  /** Reads a small part (workbook.xml, styles.xml...) as text. */
  async readText(name: string): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of await this.openStream(name)) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }

  /**
   * Streams a part as UTF-8 text. `onText` returns false to stop early; `onBytes` reports the
   * uncompressed bytes read so far.
   */
  async streamText(
    name: string,
    onText: (text: string) => boolean | void,
    onBytes?: (bytes: number) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const stream = await this.openStream(name)
    const decoder = new StringDecoder('utf8')
    let bytes = 0
    try {
      for await (const chunk of stream) {
        signal?.throwIfAborted()
        bytes += (chunk as Buffer).length
        onBytes?.(bytes)
        if (onText(decoder.write(chunk as Buffer)) === false) return
      }
      const rest = decoder.end()
      if (rest) onText(rest)
    } finally {
      stream.destroy()
    }
  }

  close(): void {
    this.zip.close()
  }
}
