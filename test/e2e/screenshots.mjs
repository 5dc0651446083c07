// `npm run screenshots`: drives the web bridge in Chromium and saves the README's screenshots to
// docs/screenshots/, so they stay current as screens change. Also renders the app icon to PNG.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { chromium } from '@playwright/test'

const PORT = 5598
const TOKEN = 'screenshot-token'
const OUT = 'docs/screenshots'
mkdirSync(OUT, { recursive: true })

const server = spawn(process.execPath, ['out/main/web.js', '--port', String(PORT)], { env: { ...process.env, SPLITSEND_WEB_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'inherit'] })
await new Promise((resolve) => server.stdout.on('data', (d) => String(d).includes('http://') && resolve()))

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, colorScheme })
    await page.goto(`http://127.0.0.1:${PORT}/#token=${TOKEN}`)
    await page.getByRole('button', { name: 'Open a spreadsheet…' }).waitFor()
    if (colorScheme === 'light') await page.screenshot({ path: `${OUT}/import.png` })
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open a spreadsheet…' }).click()])
    const sample = ['Email;Uses the app;First name;Last name;Company', 'ann@example.com;1;Ann;Lee;Acme', 'bob@example.com;0;Bob;Ray;Birch & Co']
    await chooser.setFiles({ name: 'november-customers.csv', mimeType: 'text/csv', buffer: Buffer.from(sample.join('\n')) })
    await page.getByTestId('row-count').waitFor()
    await page.screenshot({ path: `${OUT}/import-read-${colorScheme}.png` })
    await page.close()
  }
  const icon = await browser.newPage({ viewport: { width: 512, height: 512 } })
  await icon.setContent(`<style>body{margin:0}</style>${readFileSync('build/icons/icon.svg', 'utf8').replace('<svg ', '<svg width="512" height="512" ')}`)
  await icon.screenshot({ path: 'build/icons/icon.png', omitBackground: true })
} finally {
  await browser.close()
  server.kill()
}
console.log(`Screenshots saved in ${OUT}/`)
