/**
 * `npm start` (bin/start-desktop.js) on a machine without Electron's binary. No binary can be
 * downloaded here, so the script runs in a project folder of its own whose `electron` package is a
 * stand-in: its install.js succeeds (writes dist/ and path.txt, as Electron's installer does), fails
 * the way Electron's installer fails offline, or fails on a full disk; its `engines` says which Node
 * the installer needs. electron-vite is a stand-in that records how it was started.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../temp'

const ELECTRON_VERSION = '45.5.0'
const EXECUTABLE =
  process.platform === 'darwin'
    ? 'Electron.app/Contents/MacOS/Electron'
    : process.platform === 'win32'
      ? 'electron.exe'
      : 'electron'

/** What the stand-in installer does when run. */
const INSTALLERS = {
  succeeds: `
    const fs = require('fs'), path = require('path')
    fs.appendFileSync(path.join(__dirname, '..', '..', 'installer-ran'), 'ran\\n')
    const file = path.join(__dirname, 'dist', ${JSON.stringify(EXECUTABLE)})
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, '')
    fs.writeFileSync(path.join(__dirname, 'dist', 'version'), 'v${ELECTRON_VERSION}')
    fs.writeFileSync(path.join(__dirname, 'path.txt'), ${JSON.stringify(EXECUTABLE)})`,
  // What @electron/get prints when github.com can't be reached (seen on this machine).
  offline: `
    require('fs').appendFileSync(require('path').join(__dirname, '..', '..', 'installer-ran'), 'ran\\n')
    console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13\\n    at async FetchDownloader.download (file:///x/node_modules/@electron/get/dist/FetchDownloader.js:46:30)')
    process.exit(1)`,
  diskFull: `
    console.error("Error: ENOSPC: no space left on device, write\\n    at async extract (file:///x/extract-zip.js:1:1)")
    process.exit(1)`,
  // Exits 0 but leaves no binary behind.
  quietlyNothing: `process.exit(0)`,
}

interface Project {
  dir: string
  run(env?: Record<string, string>): { status: number | null; stdout: string; stderr: string }
  installerRuns(): number
  previewArgs(): string[] | null
}

/** A project folder with the real start script, a stand-in Electron and a stand-in electron-vite. */
function project(installer: keyof typeof INSTALLERS, { nodeNeeded = '>= 0.10.0', installed = false } = {}): Project {
  const dir = tempDir('start')
  mkdirSync(join(dir, 'bin'))
  copyFileSync(join(process.cwd(), 'bin', 'start-desktop.js'), join(dir, 'bin', 'start-desktop.js'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'splitsend', type: 'module' }))
  const electron = join(dir, 'node_modules', 'electron')
  mkdirSync(electron, { recursive: true })
  writeFileSync(
    join(electron, 'package.json'),
    JSON.stringify({ name: 'electron', version: ELECTRON_VERSION, main: 'index.js', engines: { node: nodeNeeded } }),
  )
  writeFileSync(join(electron, 'install.js'), INSTALLERS[installer])
  if (installed) {
    mkdirSync(join(electron, 'dist', EXECUTABLE, '..'), { recursive: true })
    writeFileSync(join(electron, 'dist', EXECUTABLE), '')
    writeFileSync(join(electron, 'dist', 'version'), `v${ELECTRON_VERSION}`)
    writeFileSync(join(electron, 'path.txt'), EXECUTABLE)
  }
  const vite = join(dir, 'node_modules', 'electron-vite')
  mkdirSync(join(vite, 'bin'), { recursive: true })
  writeFileSync(
    join(vite, 'package.json'),
    JSON.stringify({ name: 'electron-vite', bin: { 'electron-vite': 'bin/electron-vite.js' } }),
  )
  // The real electron-vite throws "Electron uninstall" without path.txt; so does the stand-in.
  writeFileSync(
    join(vite, 'bin', 'electron-vite.js'),
    `const fs = require('fs'), path = require('path')
     if (!fs.existsSync(path.join(__dirname, '..', '..', 'electron', 'path.txt'))) throw new Error('Electron uninstall')
     fs.writeFileSync(path.join(__dirname, '..', '..', '..', 'preview-args.json'), JSON.stringify(process.argv.slice(2)))
     process.exit(7)`,
  )
  return {
    dir,
    run: (env = {}) => {
      const result = spawnSync(process.execPath, [join(dir, 'bin', 'start-desktop.js'), '--inspect-brk-not'], {
        cwd: dir,
        env: { ...process.env, ELECTRON_EXEC_PATH: '', ELECTRON_OVERRIDE_DIST_PATH: '', ...env },
        encoding: 'utf8',
      })
      return { status: result.status, stdout: result.stdout, stderr: result.stderr }
    },
    installerRuns: () => {
      const file = join(dir, 'installer-ran')
      return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0
    },
    previewArgs: () => {
      const file = join(dir, 'preview-args.json')
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : null
    },
  }
}

describe('npm start', () => {
  it('opens the app with electron-vite preview when the binary is there, without running the installer', () => {
    const app = project('offline', { installed: true })
    const result = app.run()
    expect(app.installerRuns()).toBe(0)
    expect(app.previewArgs()).toEqual(['preview', '--inspect-brk-not'])
    expect(result.status).toBe(7) // electron-vite's own exit code is npm start's
  })

  it('downloads the binary with Electron’s own installer first when it is missing, then opens the app', () => {
    const app = project('succeeds')
    const result = app.run()
    expect(app.installerRuns()).toBe(1)
    expect(result.stdout).toContain(`Downloading Electron ${ELECTRON_VERSION}`)
    expect(app.previewArgs()).toEqual(['preview', '--inspect-brk-not'])
    expect(result.status).toBe(7)
    // The next start finds it installed.
    app.run()
    expect(app.installerRuns()).toBe(1)
  })

  it('runs the installer again when path.txt is there but the executable is not', () => {
    const app = project('succeeds')
    mkdirSync(join(app.dir, 'node_modules', 'electron', 'dist'), { recursive: true })
    writeFileSync(join(app.dir, 'node_modules', 'electron', 'path.txt'), EXECUTABLE)
    writeFileSync(join(app.dir, 'node_modules', 'electron', 'dist', 'version'), ELECTRON_VERSION)
    app.run()
    expect(app.installerRuns()).toBe(1)
    expect(app.previewArgs()).not.toBeNull()
  })

  it('says in one plain paragraph what to do when the download fails (no internet), and does not start electron-vite', () => {
    const app = project('offline')
    const result = app.run()
    expect(result.status).toBe(1)
    expect(app.installerRuns()).toBe(1)
    expect(app.previewArgs()).toBeNull()
    const paragraph = result.stderr.trim()
    expect(paragraph.split('\n')).toHaveLength(1)
    expect(paragraph).toContain('download did not work (TypeError: fetch failed)')
    expect(paragraph).toContain('not connected to the internet')
    expect(paragraph).toContain('run `npm start` again')
    expect(paragraph).toContain('`npm run web` runs the same app in your browser')
    // No stack trace and no "Electron uninstall".
    expect(result.stderr).not.toMatch(/\n\s+at |Electron uninstall|FetchDownloader/)
  })

  it('says something else than "no internet" when the installer fails for another reason', () => {
    const app = project('diskFull')
    const result = app.run()
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('could not be installed (Error: ENOSPC: no space left on device, write)')
    expect(result.stderr).not.toContain('internet')
    expect(result.stderr).toContain('`npm run web`')
  })

  it('does not start electron-vite when the installer says it succeeded but left no binary', () => {
    const app = project('quietlyNothing')
    const result = app.run()
    expect(result.status).toBe(1)
    expect(app.previewArgs()).toBeNull()
    expect(result.stderr).toContain('could not be installed')
  })

  it('names the Node version to install when this Node is older than Electron’s installer needs', () => {
    const app = project('succeeds', { nodeNeeded: '>= 99.12.0' })
    const result = app.run()
    expect(result.status).toBe(1)
    expect(app.installerRuns()).toBe(0)
    expect(app.previewArgs()).toBeNull()
    const paragraph = result.stderr.trim()
    expect(paragraph.split('\n')).toHaveLength(1)
    expect(paragraph).toContain(
      `needs Node.js 99.12.0 or newer, but this computer has Node.js ${process.versions.node}`,
    )
    expect(paragraph).toContain('Install Node.js 99 LTS (99.12.0 or newer)')
    expect(paragraph).toContain('`npm run web`')
  })

  it('opens the app on an older Node when the binary is already there (only the download needs the newer one)', () => {
    const app = project('offline', { nodeNeeded: '>= 99.12.0', installed: true })
    expect(app.run().status).toBe(7)
    expect(app.previewArgs()).not.toBeNull()
  })

  it('leaves the binary to ELECTRON_EXEC_PATH when it is set, as electron-vite does', () => {
    const app = project('offline')
    writeFileSync(join(app.dir, 'node_modules', 'electron', 'path.txt'), EXECUTABLE)
    const result = app.run({ ELECTRON_EXEC_PATH: '/opt/electron/electron' })
    expect(app.installerRuns()).toBe(0)
    expect(result.status).toBe(7)
  })

  it('says to run npm ci when Electron’s package is not installed at all', () => {
    const lonely = tempDir('lonely')
    mkdirSync(join(lonely, 'bin'))
    copyFileSync(join(process.cwd(), 'bin', 'start-desktop.js'), join(lonely, 'bin', 'start-desktop.js'))
    writeFileSync(join(lonely, 'package.json'), JSON.stringify({ type: 'module' }))
    const result = spawnSync(process.execPath, [join(lonely, 'bin', 'start-desktop.js')], { encoding: 'utf8' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('Run `npm ci`')
  })
})
