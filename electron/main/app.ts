import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'
import type { Handlers } from '../services/contract-dispatch'
import { createAppServices, notAvailableHere } from '../services/app-services'
import { routineScheduling } from '../services/routines/scheduling'
import { showOpenDialog } from './dialogs'
import { APP_ENTRY_URL, APP_ORIGIN, registerAppSchemePrivileges, serveRendererFrom } from './app-protocol'
import { applyHardening, openExternalIfAllowed } from './hardening'
import { registerContractHandlers, sendToWindows } from './ipc'
import { originOf } from './sender-guard'
import { createReportHostHandlers } from './report-host'
import { createMainWindow } from './window'

const SPREADSHEET_FILTERS = [
  { name: 'Spreadsheets', extensions: ['csv', 'txt', 'tsv', 'xlsx', 'xlsm'] },
  { name: 'All files', extensions: ['*'] },
]

/**
 * The thin Electron shell: one window, hardened; the contract served over IPC by the same services
 * the web bridge and the command line use.
 */
export function startDesktopApp(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  registerAppSchemePrivileges()

  // In development electron-vite serves the renderer; otherwise it comes from the build.
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  const entryUrl = devServerUrl ?? APP_ENTRY_URL
  const trustedOrigins = [devServerUrl ? originOf(devServerUrl) : APP_ORIGIN].filter(
    (o): o is string => o !== undefined,
  )
  const preloadPath = join(app.getAppPath(), 'out', 'preload', 'index.cjs')

  const services = createAppServices({
    host: 'electron',
    version: app.getVersion(),
    emit: sendToWindows,
    openBrowser: (url) => void openExternalIfAllowed(url),
    scheduling: routineScheduling({
      electron: { executable: process.execPath, packaged: app.isPackaged },
      platform: process.platform,
      env: process.env,
    }),
  })
  const handlers: Handlers = {
    ...services.handlers,
    'files.pick': async () => {
      const result = await showOpenDialog({
        title: 'Open a spreadsheet',
        properties: ['openFile'],
        filters: SPREADSHEET_FILTERS,
      })
      const path = result.filePaths[0]
      return result.canceled || !path ? null : services.files.attachPath(path)
    },
    'dialog.chooseFolder': async ({ title }) => {
      const result = await showOpenDialog({ title, properties: ['openDirectory', 'createDirectory'] })
      const folder = result.filePaths[0]
      return result.canceled || !folder ? { folder: null, cancelled: true } : { folder, cancelled: false }
    },
    'links.openExternal': ({ url }) => openExternalIfAllowed(url),
    ...createReportHostHandlers((jobId) => services.handlers['report.files']({ jobId })),
    // The desktop app saves files where the person chooses (report.save, prepare.save).
    'report.download': () => {
      throw notAvailableHere('A download')
    },
    'prepare.download': () => {
      throw notAvailableHere('A download')
    },
  }

  let mainWindow: BrowserWindow | undefined
  const showWindow = () => {
    if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createMainWindow(preloadPath, entryUrl)
    else {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  }

  app.on('second-instance', showWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', showWindow)
  app.on('will-quit', () => void services.dispose())

  void app.whenReady().then(() => {
    applyHardening(trustedOrigins)
    serveRendererFrom(join(app.getAppPath(), 'out', 'renderer'))
    registerContractHandlers(handlers, trustedOrigins)
    showWindow()
  })
}
