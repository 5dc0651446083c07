import { cpSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { requestChannel, requestNames } from '../../../shared/contract'
import { createElectronStandIn, FakeBrowserWindow, FakeWebContents } from './electron-stand-in'
import { preparedJob } from '../upload/helpers'
import { tempDir } from '../temp'

const standIn = createElectronStandIn()
vi.mock('electron', () => standIn.module)

// What the report host requests use, recorded: opening with the OS, the save dialog, a hidden window printing to PDF.
const reportHost = {
  openedPaths: [] as string[],
  saveDialogs: [] as unknown[][],
  saveAnswer: { canceled: true } as { canceled: boolean; filePath?: string },
}
Object.assign(standIn.module.shell, {
  openPath: async (path: string) => {
    reportHost.openedPaths.push(path)
    return '' // Electron's "no error"
  },
})
Object.assign(standIn.module.dialog, {
  showSaveDialog: async (...args: unknown[]) => {
    reportHost.saveDialogs.push(args)
    return reportHost.saveAnswer
  },
})
Object.assign(standIn.module.app, { getPath: (name: string) => `/home/person/${name}` })
Object.assign(FakeBrowserWindow.prototype, {
  loadFile(this: FakeBrowserWindow & { loadedFile?: string }, path: string) {
    this.loadedFile = path
    return Promise.resolve()
  },
  destroy(this: FakeBrowserWindow & { destroyed?: boolean }) {
    this.destroyed = true
  },
})
Object.assign(FakeWebContents.prototype, {
  async printToPDF(this: FakeWebContents & { printed?: unknown }, options: unknown) {
    this.printed = options
    return Buffer.from('%PDF-1.7 report')
  },
})
// The app's data folder, with one prepared job in it for the report requests.
const dataDir = tempDir('shell-data')
process.env.SPLITSEND_DATA_DIR = dataDir

const { startDesktopApp } = await import('../../../electron/main/app')
const { APP_ENTRY_URL } = await import('../../../electron/main/app-protocol')

const { record } = standIn

beforeAll(async () => {
  startDesktopApp()
  standIn.becomeReady()
  await new Promise((resolve) => setTimeout(resolve, 0))
})

const mainWindow = () => FakeBrowserWindow.created[0]!

/** An IPC event as Electron would give it, from a given frame of a given webContents. */
function ipcEvent(sender: FakeWebContents, frame: { url: string; parent: unknown } | null) {
  return { sender, senderFrame: frame }
}

describe('the Electron shell', () => {
  it('opens one window with the hardened web preferences and the app page', () => {
    expect(FakeBrowserWindow.created).toHaveLength(1)
    const prefs = mainWindow().options.webPreferences
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    })
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
    expect(mainWindow().loadedUrl).toBe(APP_ENTRY_URL)
  })

  it('serves the renderer from its own privileged scheme', () => {
    expect(record.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'splitsend' })])
    expect(record.protocolHandlers.has('splitsend')).toBe(true)
  })

  it('registers a handler for every request in the contract, and nothing else', () => {
    expect([...record.handled.keys()].sort()).toEqual(requestNames.map(requestChannel).sort())
  })

  it('answers a request from the app window’s top frame', async () => {
    const contents = mainWindow().webContents
    const result = await record.handled.get(requestChannel('app.info'))!(
      ipcEvent(contents, contents.mainFrame),
      undefined,
    )
    expect(result).toMatchObject({ ok: true, value: { name: 'Splitsend', host: 'electron', version: '9.9.9' } })
  })

  it('refuses requests from a sub-frame, a foreign page or a window the app did not create', async () => {
    const contents = mainWindow().webContents
    const handler = record.handled.get(requestChannel('app.info'))!
    const subFrame = { url: APP_ENTRY_URL, parent: contents.mainFrame }
    const foreignPage = { url: 'https://evil.example/index.html', parent: null }
    const strangerContents = new FakeWebContents()
    for (const event of [
      ipcEvent(contents, subFrame),
      ipcEvent(contents, foreignPage),
      ipcEvent(contents, null),
      ipcEvent(strangerContents, { url: APP_ENTRY_URL, parent: null }),
    ]) {
      expect(await handler(event, undefined)).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } })
    }
  })

  it('validates payloads at run time', async () => {
    const contents = mainWindow().webContents
    const handler = record.handled.get(requestChannel('prepare.inspect'))!
    expect(await handler(ipcEvent(contents, contents.mainFrame), { fileId: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    })
  })

  it('denies every permission request and check', () => {
    const decisions: boolean[] = []
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      record.permissionRequestHandler!({}, permission, (allowed: boolean) => decisions.push(allowed))
    }
    expect(decisions).toEqual([false, false, false, false])
    expect(record.permissionCheckHandler!({}, 'media')).toBe(false)
  })

  it('denies new windows, sending only allow-listed links to the system browser', () => {
    const contents = new FakeWebContents()
    standIn.module.app.emit('web-contents-created', {}, contents)
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler!({ url: 'https://knowledgebase.constantcontact.com/' })).toEqual({
      action: 'deny',
    })
    expect(record.openedExternally).toEqual(['https://knowledgebase.constantcontact.com/'])
  })

  it('blocks navigation away from the app and refuses webviews', () => {
    const contents = new FakeWebContents()
    standIn.module.app.emit('web-contents-created', {}, contents)
    const attempt = (event: string, url?: string) => {
      const e = {
        prevented: false,
        preventDefault() {
          this.prevented = true
        },
      }
      contents.emit(event, e, url)
      return e.prevented
    }
    expect(attempt('will-navigate', 'https://evil.example/')).toBe(true)
    expect(attempt('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(attempt('will-redirect', 'https://evil.example/')).toBe(true)
    expect(attempt('will-navigate', `${APP_ENTRY_URL}#again`)).toBe(false)
    expect(attempt('will-attach-webview')).toBe(true)
  })

  it('uses the native file dialog for "Open a spreadsheet…"', async () => {
    const contents = mainWindow().webContents
    const result = await record.handled.get(requestChannel('files.pick'))!(
      ipcEvent(contents, contents.mainFrame),
      undefined,
    )
    expect(result).toEqual({ ok: true, value: null })
    expect(record.openDialogs).toHaveLength(1)
    expect((record.openDialogs[0] as unknown[])[0], 'the dialog opens over the app’s window').toBe(mainWindow())
  })
})

describe('the report files in the desktop app', () => {
  const call = async (name: Parameters<typeof requestChannel>[0], input: unknown) => {
    const contents = mainWindow().webContents
    return record.handled.get(requestChannel(name))!(ipcEvent(contents, contents.mainFrame), input)
  }
  let jobFolder: string
  beforeAll(async () => {
    const job = await preparedJob({ group0: 2, group1: 2, problems: 1, tag: 'shell' })
    jobFolder = join(dataDir, 'jobs', 'job-shell')
    cpSync(job.dir, jobFolder, { recursive: true })
  })

  it('opens report.html and report.csv with the computer’s own apps', async () => {
    expect(await call('report.open', { jobId: 'job-shell', file: 'html' })).toEqual({ ok: true, value: true })
    expect(await call('report.open', { jobId: 'job-shell', file: 'csv' })).toEqual({ ok: true, value: true })
    expect(reportHost.openedPaths).toEqual([join(jobFolder, 'report.html'), join(jobFolder, 'report.csv')])
  })

  it('gives no download address: the desktop app saves files where the person chooses', async () => {
    for (const [name, input] of [
      ['report.download', { jobId: 'job-shell', file: 'csv' }],
      ['prepare.download', { jobId: 'job-shell', file: 'group0' }],
    ] as const)
      expect(await call(name, input)).toMatchObject({ ok: false, error: { code: 'not_available_here' } })
  })

  it('saves a copy where the person chooses, and nothing when they cancel', async () => {
    reportHost.saveAnswer = { canceled: true }
    expect(await call('report.save', { jobId: 'job-shell', file: 'csv' })).toEqual({
      ok: true,
      value: { saved: false, path: null },
    })
    const target = join(tempDir('shell-save'), 'copy.csv')
    reportHost.saveAnswer = { canceled: false, filePath: target }
    expect(await call('report.save', { jobId: 'job-shell', file: 'csv' })).toEqual({
      ok: true,
      value: { saved: true, path: target },
    })
    expect(readFileSync(target, 'utf8')).toBe(readFileSync(join(jobFolder, 'report.csv'), 'utf8'))
    const options = reportHost.saveDialogs.at(-1)!.at(-1) as { defaultPath: string }
    expect(options.defaultPath).toBe('/home/person/documents/contacts – Splitsend report.csv')
    expect(reportHost.saveDialogs.at(-1)![0], 'the dialog opens over the app’s window').toBe(mainWindow())
  })

  it('prints report.html to PDF in a hidden window with no preload and no scripts, then closes it', async () => {
    const target = join(tempDir('shell-pdf'), 'report.pdf')
    reportHost.saveAnswer = { canceled: false, filePath: target }
    const before = FakeBrowserWindow.created.length
    expect(await call('report.savePdf', { jobId: 'job-shell' })).toEqual({
      ok: true,
      value: { saved: true, path: target },
    })
    const printer = FakeBrowserWindow.created[before] as FakeBrowserWindow & {
      loadedFile?: string
      destroyed?: boolean
    }
    expect(FakeBrowserWindow.created).toHaveLength(before + 1)
    expect(printer.options.show).toBe(false)
    expect(printer.options.webPreferences).toMatchObject({
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    })
    expect(printer.options.webPreferences.preload).toBeUndefined()
    expect(printer.loadedFile).toBe(join(jobFolder, 'report.html'))
    expect((printer.webContents as FakeWebContents & { printed?: unknown }).printed).toMatchObject({
      printBackground: true,
    })
    expect(printer.destroyed).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('%PDF-1.7 report')
    FakeBrowserWindow.created.splice(before, 1)
  })

  it('writes no PDF when the person cancels the save dialog', async () => {
    reportHost.saveAnswer = { canceled: true }
    const before = FakeBrowserWindow.created.length
    expect(await call('report.savePdf', { jobId: 'job-shell' })).toEqual({
      ok: true,
      value: { saved: false, path: null },
    })
    expect(FakeBrowserWindow.created).toHaveLength(before)
    expect(existsSync(join(jobFolder, 'report.pdf'))).toBe(false)
  })
})

describe('the app scheme', () => {
  it('maps app URLs to files inside the renderer folder only', async () => {
    const { resolveAppFile } = await import('../../../electron/main/app-protocol')
    const root = '/app/out/renderer'
    expect(resolveAppFile(root, 'splitsend://app/index.html')).toBe('/app/out/renderer/index.html')
    expect(resolveAppFile(root, 'splitsend://app/')).toBe('/app/out/renderer/index.html')
    expect(resolveAppFile(root, 'splitsend://app/assets/index.js')).toBe('/app/out/renderer/assets/index.js')
    // The URL parser already removes dot segments, so this stays inside the renderer folder.
    expect(resolveAppFile(root, 'splitsend://app/%2e%2e/%2e%2e/etc/passwd')).toBe('/app/out/renderer/etc/passwd')
    expect(resolveAppFile(root, 'splitsend://app/..%2F..%2Fetc%2Fpasswd')).toBeUndefined()
    expect(resolveAppFile(root, 'splitsend://other/index.html')).toBeUndefined()
    expect(resolveAppFile(root, 'https://app/index.html')).toBeUndefined()
  })
})
