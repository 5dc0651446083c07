import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'

/** End-to-end tests: the built renderer in Debian's Chromium, through the web bridge (`npm run web`). */
export const E2E_PORT = Number(process.env.SPLITSEND_E2E_PORT ?? 5599)
export const E2E_TOKEN = 'e2e-token-not-secret'

/**
 * Fresh folders for each run, so tests never touch a person's own Splitsend data: the app's working
 * folder (prepared jobs) and the folder "Save prepared files…" writes to in the web bridge. Made
 * once, in the process that starts the web server; the test workers read them from the environment.
 */
function runFolder(variable: string, prefix: string): string {
  const folder = process.env[variable] ?? mkdtempSync(join(tmpdir(), prefix))
  process.env[variable] = folder
  return folder
}
export const E2E_DATA_DIR = runFolder('SPLITSEND_E2E_DATA_DIR', 'splitsend-e2e-data-')
export const E2E_EXPORT_DIR = runFolder('SPLITSEND_E2E_EXPORT_DIR', 'splitsend-e2e-export-')

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? 'list' : 'line',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1280, height: 900 },
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
  webServer: {
    command: `node out/main/web.js --port ${E2E_PORT}`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    env: { SPLITSEND_WEB_TOKEN: E2E_TOKEN, SPLITSEND_DATA_DIR: E2E_DATA_DIR, SPLITSEND_EXPORT_DIR: E2E_EXPORT_DIR },
    reuseExistingServer: false,
    timeout: 30_000,
  },
})
