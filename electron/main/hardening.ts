import { app, session, shell, type WebContents } from 'electron'
import { isAllowedExternalUrl } from '../../shared/external-links'
import { originOf } from './sender-guard'

/**
 * App-wide protections from Electron's security checklist: deny every permission request, deny new
 * windows (allow-listed links go to the system browser instead), block navigation away from the
 * app's own pages, and refuse <webview>.
 */
export function applyHardening(trustedOrigins: readonly string[]): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, trustedOrigins))
}

function hardenContents(contents: WebContents, trustedOrigins: readonly string[]): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url)
    return { action: 'deny' }
  })
  const stayInApp = (event: Electron.Event, url: string) => {
    const origin = originOf(url)
    if (origin === undefined || !trustedOrigins.includes(origin)) event.preventDefault()
  }
  contents.on('will-navigate', stayInApp)
  contents.on('will-redirect', stayInApp)
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Opens a link in the system browser only if it is on the allow-list; returns whether it did. */
export function openExternalIfAllowed(url: string): boolean {
  if (!isAllowedExternalUrl(url)) {
    console.error(`[splitsend] Refused to open a link that is not on the allow-list: ${url}`)
    return false
  }
  void shell.openExternal(url)
  return true
}
