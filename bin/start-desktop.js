#!/usr/bin/env node
// `npm start`: opens the desktop app with `electron-vite preview`, fetching Electron's binary first when
// it is missing. Since Electron 45 `npm ci` no longer downloads the binary, and electron-vite looks only
// for node_modules/electron/path.txt (throwing "Electron uninstall" without it), so on a fresh machine
// the download happens here, by Electron's own installer (node_modules/electron/install.js). When that
// can't work, the person gets one plain paragraph saying what to do instead of a stack trace.
//
// Plain JavaScript, run by any Node: its first job is to tell someone on too old a Node what to install.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const WEB_INSTEAD = 'Meanwhile `npm run web` runs the same app in your browser (it prints the address to open).'

/** Electron's package folder, or null when `npm ci` has not been run. */
function electronFolder() {
  try {
    return dirname(require.resolve('electron/package.json'))
  } catch {
    return null
  }
}

/** electron-vite's command, as its package names it. */
function electronViteCommand() {
  const manifest = require.resolve('electron-vite/package.json')
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'))
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin['electron-vite'])
}

/** Where Electron's installer puts the executable inside dist/, as its install.js names it per platform. */
function executableInDist(
  platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform,
) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  return platform === 'win32' ? 'electron.exe' : 'electron'
}

/**
 * Whether the binary is there, by the same test as Electron's installer (its `isInstalled`): the
 * version in dist/ is the package's, path.txt names this platform's executable, and it exists.
 * electron-vite would accept a path.txt alone and then fail to start a missing executable.
 */
function binaryInstalled(folder, version) {
  const inDist = executableInDist()
  try {
    if (
      readFileSync(join(folder, 'dist', 'version'), 'utf8')
        .trim()
        .replace(/^v/, '') !== version
    )
      return false
    if (readFileSync(join(folder, 'path.txt'), 'utf8') !== inDist) return false
  } catch {
    return false
  }
  return existsSync(
    process.env.ELECTRON_OVERRIDE_DIST_PATH
      ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, inDist)
      : join(folder, 'dist', inDist),
  )
}

/** The lowest Node version Electron's package (and so its installer) declares, as [major, minor, patch]. */
function nodeNeeded(engines) {
  const found = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(String(engines?.node ?? ''))
  return found ? [Number(found[1]), Number(found[2]), Number(found[3] ?? 0)] : null
}

function olderThan(version, needed) {
  const have = version.replace(/^v/, '').split('.').map(Number)
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== needed[i]) return (have[i] ?? 0) < needed[i]
  return false
}

/** Runs a Node script, its output shown as it comes; resolves to its exit code and the end of what it wrote to stderr. */
function runNode(script, args, { keepStderr = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['inherit', 'inherit', keepStderr ? 'pipe' : 'inherit'],
      windowsHide: false,
    })
    let stderr = ''
    child.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-8000)
    })
    const forward = (signal) => () => child.kill(signal)
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward(signal))
    child.on('error', (error) => resolve({ code: 1, stderr: String(error) }))
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stderr }))
  })
}

/** The installer's own reason, in one line: the first line of the error it printed. */
function installerReason(stderr) {
  return (
    stderr
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith('at ')) ?? ''
  )
}

/** Whether the installer failed to reach the download server (as opposed to a full disk or a damaged download). */
function isNetworkFailure(stderr) {
  return /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up|getaddrinfo|HTTPError|Response code [45]\d\d|status code [45]\d\d|certificate|proxy/i.test(
    stderr,
  )
}

function say(paragraph) {
  process.stderr.write(`\n${paragraph}\n\n`)
}

function tooOldNode(version, needed) {
  const wanted = needed.join('.')
  return (
    `Splitsend's desktop app could not start: it first has to download Electron, the window it runs in, and Electron's installer needs Node.js ${wanted} or newer, but this computer has Node.js ${version}. ` +
    `Install Node.js ${needed[0]} LTS (${wanted} or newer) from https://nodejs.org, then run \`npm ci\` and \`npm start\` again in the Splitsend folder. ${WEB_INSTEAD}`
  )
}

function downloadFailed(version, reason) {
  return (
    `Splitsend's desktop app could not start: it first has to download Electron ${version}, the window it runs in (about 100 MB, once), and the download did not work${reason ? ` (${reason})` : ''}. ` +
    'This computer is probably not connected to the internet, or a firewall or proxy blocks github.com. ' +
    'Connect to the internet and run `npm start` again; behind a proxy, set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1 first, or point ELECTRON_MIRROR at a mirror of Electron’s releases your network allows. ' +
    WEB_INSTEAD
  )
}

function installFailed(version, reason) {
  return (
    `Splitsend's desktop app could not start: Electron ${version}, the window it runs in, could not be installed${reason ? ` (${reason})` : ''}. ` +
    'Check that the disk has a few hundred MB free and that you can write to the Splitsend folder, then delete the folder node_modules/electron and run `npm ci` and `npm start` again. ' +
    WEB_INSTEAD
  )
}

async function main(args) {
  const folder = electronFolder()
  if (!folder) {
    say(
      `Splitsend's desktop app could not start: its parts are not installed yet. Run \`npm ci\` in the Splitsend folder, then \`npm start\` again. ${WEB_INSTEAD}`,
    )
    return 1
  }
  const electron = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
  if (!process.env.ELECTRON_EXEC_PATH && !binaryInstalled(folder, electron.version)) {
    const needed = nodeNeeded(electron.engines)
    if (needed && olderThan(process.versions.node, needed)) {
      say(tooOldNode(process.versions.node, needed))
      return 1
    }
    process.stdout.write(
      `Downloading Electron ${electron.version}, the window Splitsend runs in (once; about 100 MB)…\n`,
    )
    const installed = await runNode(join(folder, 'install.js'), [], { keepStderr: true })
    if (installed.code !== 0 || !binaryInstalled(folder, electron.version)) {
      const reason = installerReason(installed.stderr)
      say(
        isNetworkFailure(installed.stderr)
          ? downloadFailed(electron.version, reason)
          : installFailed(electron.version, reason),
      )
      return 1
    }
  }
  return (await runNode(electronViteCommand(), ['preview', ...args])).code
}

process.exitCode = await main(process.argv.slice(2))
