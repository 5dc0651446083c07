/**
 * A recording stand-in for the `electron` module: just enough of Electron's API for the shell to
 * run, recording what the shell asks of it so tests can check the wiring without an Electron binary.
 */
type Listener = (...args: any[]) => unknown

export class Emitter {
  readonly listeners = new Map<string, Listener[]>()
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  once(event: string, listener: Listener) {
    return this.on(event, listener)
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args)
  }
}

export class FakeWebContents extends Emitter {
  static nextId = 1
  readonly id = FakeWebContents.nextId++
  windowOpenHandler: Listener | undefined
  readonly sent: Array<{ channel: string; payload: unknown }> = []
  readonly mainFrame = { url: '', parent: null as unknown }
  setWindowOpenHandler(handler: Listener) {
    this.windowOpenHandler = handler
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload })
  }
}

export class FakeBrowserWindow extends Emitter {
  static readonly created: FakeBrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  loadedUrl: string | undefined
  constructor(readonly options: Record<string, any>) {
    super()
    FakeBrowserWindow.created.push(this)
  }
  loadURL(url: string) {
    this.loadedUrl = url
    this.webContents.mainFrame.url = url
    return Promise.resolve()
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false
  }
  isDestroyed() {
    return false
  }
  static getAllWindows() {
    return FakeBrowserWindow.created
  }
  static getFocusedWindow() {
    return FakeBrowserWindow.created[0] ?? null
  }
  static fromWebContents(contents: unknown) {
    return FakeBrowserWindow.created.find((w) => w.webContents === contents) ?? null
  }
}

export function createElectronStandIn() {
  let resolveReady!: () => void
  const ready = new Promise<void>((resolve) => (resolveReady = resolve))
  const record = {
    handled: new Map<string, Listener>(),
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, Listener>(),
    permissionRequestHandler: undefined as Listener | undefined,
    permissionCheckHandler: undefined as Listener | undefined,
    openedExternally: [] as string[],
    openDialogs: [] as unknown[],
    exposed: new Map<string, unknown>(),
    quitCalled: false,
    singleInstanceAsked: false,
    dockHidden: false,
    /** The code given to app.exit(), once it is called. */
    exitCode: undefined as number | undefined,
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    requestSingleInstanceLock: () => (record.singleInstanceAsked = true),
    quit: () => void (record.quitCalled = true),
    exit: (code = 0) => void (record.exitCode = code),
    dock: { hide: () => void (record.dockHidden = true) },
    whenReady: () => ready,
    getAppPath: () => '/app',
    getVersion: () => '9.9.9',
  })
  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, listener: Listener) => {
        if (record.handled.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
        record.handled.set(channel, listener)
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void record.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: Listener) => void record.protocolHandlers.set(scheme, handler),
    },
    net: { fetch: async () => new Response('') },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => void (record.permissionRequestHandler = handler),
        setPermissionCheckHandler: (handler: Listener) => void (record.permissionCheckHandler = handler),
      },
    },
    shell: { openExternal: async (url: string) => void record.openedExternally.push(url) },
    dialog: {
      showOpenDialog: async (...args: unknown[]) => {
        record.openDialogs.push(args)
        return { canceled: true, filePaths: [] }
      },
    },
    nativeTheme: { shouldUseDarkColors: false },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void record.exposed.set(key, value) },
  }
  return { module, record, becomeReady: () => resolveReady() }
}
