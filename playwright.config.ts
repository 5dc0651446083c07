import { defineConfig } from '@playwright/test'

/** End-to-end tests: the built renderer in Debian's Chromium, through the web bridge (`npm run web`). */
export const E2E_PORT = Number(process.env.SPLITSEND_E2E_PORT ?? 5599)
export const E2E_TOKEN = 'e2e-token-not-secret'

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
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `node out/main/web.js --port ${E2E_PORT}`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    env: { SPLITSEND_WEB_TOKEN: E2E_TOKEN },
    reuseExistingServer: false,
    timeout: 30_000,
  },
})
