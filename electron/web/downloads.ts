import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { BRIDGE_DOWNLOAD_PATH, type BridgeDownload } from '../../shared/web-bridge-protocol'
import type { DownloadableFile } from '../services/prepare/handlers'

/** How long an offered download waits for the browser to ask for it. */
const OFFER_MS = 60_000

interface Offer extends DownloadableFile {
  /** A folder made for this download alone, removed once it is served or expires. */
  removeFolder?: string
  timer: NodeJS.Timeout
}

/**
 * The web bridge's downloads: a file on disk (a stored report, a prepared copy written for it) is
 * streamed to the browser by the bridge's HTTP server, never carried whole through the contract.
 * A download the browser makes itself can't carry the bridge's access key, so the page asks for one
 * over the WebSocket (which needs the key) and gets an address that serves that file once, within
 * a minute: its key is random, 32 bytes, and never the access key.
 */
export class BridgeDownloads {
  private readonly offers = new Map<string, Offer>()

  /** Offers `file` for one download; the address is the page's to follow. */
  offer(file: DownloadableFile, removeFolder?: string): BridgeDownload {
    const key = randomBytes(32).toString('base64url')
    const timer = setTimeout(() => this.withdraw(key), OFFER_MS)
    timer.unref()
    this.offers.set(key, { ...file, ...(removeFolder ? { removeFolder } : {}), timer })
    return { url: `${BRIDGE_DOWNLOAD_PATH}${key}`, fileName: file.fileName }
  }

  /** Serves the download at `pathname` (under BRIDGE_DOWNLOAD_PATH) once; false if there is none. */
  async serve(pathname: string, response: ServerResponse): Promise<boolean> {
    const key = pathname.slice(BRIDGE_DOWNLOAD_PATH.length)
    const offer = this.offers.get(key)
    if (!offer) return false
    this.offers.delete(key)
    clearTimeout(offer.timer)
    const size = (await stat(offer.path)).size
    response.writeHead(200, {
      'Content-Type': offer.mimeType,
      'Content-Length': size,
      'Content-Disposition': attachment(offer.fileName),
      'Content-Security-Policy': "default-src 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    })
    const stream = createReadStream(offer.path)
    stream.on('error', () => response.destroy())
    response.on('close', () => {
      stream.destroy()
      void removeIfMade(offer)
    })
    stream.pipe(response)
    return true
  }

  /** Withdraws every offer (the bridge closes). */
  close(): void {
    for (const key of [...this.offers.keys()]) this.withdraw(key)
  }

  private withdraw(key: string): void {
    const offer = this.offers.get(key)
    if (!offer) return
    this.offers.delete(key)
    clearTimeout(offer.timer)
    void removeIfMade(offer)
  }
}

async function removeIfMade(offer: Offer): Promise<void> {
  if (offer.removeFolder) await rm(offer.removeFolder, { recursive: true, force: true }).catch(() => undefined)
}

/** `attachment` with the file's name, plain where it can be and in RFC 5987 form for the rest. */
function attachment(fileName: string): string {
  const plain = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${plain}"; filename*=UTF-8''${encoded}`
}
