/**
 * Decides whether an IPC message comes from Splitsend's own page: the top frame of one of the app's
 * windows, showing a page from the app's own origin. Pure (no Electron import) so it is unit-tested
 * directly; ipc.ts feeds it the facts from each IPC event.
 */
export interface SenderFacts {
  /** URL of the frame that sent the message ('' when the frame is gone). */
  frameUrl: string
  /** True only when the sending frame is its page's main (top) frame. */
  isTopFrame: boolean
  /** True when the sender's webContents belongs to a window the app created. */
  isAppWindow: boolean
}

export function isTrustedSender(sender: SenderFacts, trustedOrigins: readonly string[]): boolean {
  if (!sender.isAppWindow || !sender.isTopFrame) return false
  const origin = originOf(sender.frameUrl)
  return origin !== undefined && trustedOrigins.includes(origin)
}

/** `scheme://host[:port]`, computed by hand because URL.origin is "null" for custom schemes. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    if (!parsed.host) return undefined
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return undefined
  }
}
