import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests: the built renderer in Debian's Chromium, through the web bridge (`npm run web`).
 *
 * Each worker has a web bridge of its own (its port, its data and export folders, its own OS
 * keychain), so the workers never see each other's account or jobs. This file is read by the main
 * process, which starts the bridges, and again by each worker, which picks its own by its index.
 */
// Three on a 2-core machine: a test waits on its page and its bridge about half of its time.
// SPLITSEND_E2E_WORKERS to try another count (see README's testing section).
const WORKERS = Number(process.env.SPLITSEND_E2E_WORKERS ?? 3)
const BASE_PORT = Number(process.env.SPLITSEND_E2E_PORT ?? 5599)
export const E2E_TOKEN = 'e2e-token-not-secret'

/** One folder for the run, made once in the main process; the workers read it from the environment. */
process.env.SPLITSEND_E2E_RUN_DIR ??= mkdtempSync(join(tmpdir(), 'splitsend-e2e-'))
export const E2E_RUN_DIR = process.env.SPLITSEND_E2E_RUN_DIR

function bridge(index: number) {
  const folder = join(E2E_RUN_DIR, `worker-${index}`)
  return {
    port: BASE_PORT + index,
    dataDir: join(folder, 'data'),
    exportDir: join(folder, 'export'),
    keychainAddressFile: join(folder, 'keychain-address'),
    // The bridge schedules routines with a recording stand-in for crontab, never this computer's own.
    crontabFile: join(folder, 'crontab'),
  }
}

/** This worker's bridge (the first one in the main process). */
const mine = bridge(Number(process.env.TEST_PARALLEL_INDEX ?? 0))
export const E2E_PORT = mine.port
export const E2E_DATA_DIR = mine.dataDir
export const E2E_EXPORT_DIR = mine.exportDir
export const E2E_CRONTAB_FILE = mine.crontabFile
// Tests that look into the keychain (secret-tool) look into their bridge's.
if (process.env.TEST_PARALLEL_INDEX !== undefined && existsSync(mine.keychainAddressFile))
  process.env.DBUS_SESSION_BUS_ADDRESS = readFileSync(mine.keychainAddressFile, 'utf8').trim()

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: WORKERS,
  // In CI a test that fails is run once more: `npm test` then names it "flaky" in its closing lines
  // (test/run-all.sh), so a test that fails only on a busy machine is seen, and one that fails twice
  // still fails the run. Locally a failure is a failure.
  retries: process.env.CI ? 1 : 0,
  globalTeardown: './test/e2e/teardown.ts',
  reporter: process.env.CI ? 'list' : 'line',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1280, height: 900 },
    // Also keeps axe from reading a dialog's colours halfway through its fade.
    reducedMotion: 'reduce',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Without these, Chromium keeps trying to reach Google's services, which this machine cannot.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: Array.from({ length: WORKERS }, (_, index) => {
    const { port, dataDir, exportDir, keychainAddressFile, crontabFile } = bridge(index)
    return {
      // A keychain session of its own (with-keychain.sh, told it is not inside one yet).
      command: `bash test/with-keychain.sh node out/main/web.js --port ${port}`,
      url: `http://127.0.0.1:${port}/`,
      env: {
        SPLITSEND_WEB_TOKEN: E2E_TOKEN,
        SPLITSEND_DATA_DIR: dataDir,
        SPLITSEND_EXPORT_DIR: exportDir,
        SPLITSEND_IN_KEYCHAIN_SESSION: '',
        SPLITSEND_KEYCHAIN_ADDRESS_FILE: keychainAddressFile,
        SPLITSEND_CRONTAB: join(process.cwd(), 'test', 'e2e', 'recording-crontab.mjs'),
        SPLITSEND_TEST_CRONTAB_FILE: crontabFile,
        // The tests' limiters and a practice account at the tests' speed (electron/web/test-pace.ts);
        // a test that watches a run go by asks for a person's speed (`practiceAtPersonSpeed` in fixtures.ts).
        SPLITSEND_TEST_PACE: 'fast',
      },
      reuseExistingServer: false,
      timeout: 30_000,
    }
  }),
})
