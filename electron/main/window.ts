import { BrowserWindow, nativeTheme } from 'electron'

/** The hardened settings every Splitsend window uses (tested against a stand-in electron module). */
function secureWebPreferences(preloadPath: string): Electron.WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    // A file dropped outside the drop zone must not replace the app with the file's contents.
    navigateOnDragDrop: false,
    spellcheck: false,
  }
}

export function createMainWindow(preloadPath: string, url: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    title: 'Splitsend',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1a1b1e' : '#ffffff',
    webPreferences: secureWebPreferences(preloadPath),
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(url)
  return window
}
