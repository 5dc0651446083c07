import type { BridgeDownload } from '../../../shared/web-bridge-protocol'

/**
 * Has the browser download a file the web bridge offers (where it goes is the browser's to ask):
 * the browser saves it as it arrives, so the page never holds it.
 */
export function downloadFrom({ url, fileName }: BridgeDownload): void {
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
}
