// `npm run screenshots`: drives the web bridge in Chromium and saves the README's screenshots to
// docs/screenshots/, so they stay current as screens change. Also renders the app icon to PNG.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'

const PORT = 5598
const TOKEN = 'screenshot-token'
const OUT = 'docs/screenshots'
mkdirSync(OUT, { recursive: true })

const scratch = mkdtempSync(join(tmpdir(), 'splitsend-screenshots-'))
const server = spawn(process.execPath, ['out/main/web.js', '--port', String(PORT)], {
  env: { ...process.env, SPLITSEND_WEB_TOKEN: TOKEN, SPLITSEND_DATA_DIR: scratch },
  stdio: ['ignore', 'pipe', 'inherit'],
})
await new Promise((resolve) => server.stdout.on('data', (d) => String(d).includes('http://') && resolve()))

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})
// A month's export as an office would have it: a few columns, a flag, and the usual few problems.
function sampleCustomers() {
  const first = [
    'Ann',
    'Bob',
    'Cat',
    'Dan',
    'Eve',
    'Fay',
    'Gus',
    'Hal',
    'Ivy',
    'Jo',
    'Kim',
    'Lou',
    'Max',
    'Ned',
    'Oli',
    'Pam',
  ]
  const last = ['Lee', 'Ray', 'Stone', 'Berg', 'Moss', 'Hart', 'Vale', 'Reed']
  const lines = ['Email;Uses the app;First name;Last name;Company']
  for (let i = 0; i < 120; i++) {
    const name = first[i % first.length]
    const email =
      i === 17
        ? `${name.toLowerCase()}.example.com`
        : i === 42
          ? ''
          : `${name.toLowerCase()}.${last[i % last.length].toLowerCase()}${i}@example.com`
    const flag = i % 29 === 5 ? 'maybe' : String((i * 7) % 3 === 0 ? 0 : 1)
    lines.push([email, flag, name, last[i % last.length], i % 3 ? 'Acme' : 'Birch & Co'].join(';'))
  }
  lines.push(lines[10])
  return Buffer.from(lines.join('\n'))
}

async function openSample(page) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open a spreadsheet…' }).click(),
  ])
  await chooser.setFiles({ name: 'november-customers.csv', mimeType: 'text/csv', buffer: sampleCustomers() })
  await page
    .getByTestId('row-count')
    .filter({ hasText: /^\d[\d,]* rows?$/ })
    .waitFor()
}

try {
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, colorScheme })
    await page.goto(`http://127.0.0.1:${PORT}/#token=${TOKEN}`)
    // With no account connected the app opens on Connect.
    await page.getByRole('button', { name: 'Use the practice account' }).waitFor()
    if (colorScheme === 'light') await page.screenshot({ path: `${OUT}/connect.png` })
    await page.getByRole('button', { name: 'go to Import' }).click()
    await page.getByRole('button', { name: 'Open a spreadsheet…' }).waitFor()
    if (colorScheme === 'light') await page.screenshot({ path: `${OUT}/import.png` })
    await openSample(page)
    await page.screenshot({ path: `${OUT}/import-read-${colorScheme}.png` })
    if (colorScheme === 'light') {
      await page.getByRole('button', { name: 'Continue: choose the columns' }).click()
      await page.getByRole('textbox', { name: 'Name of the group marked 0' }).fill('Not on the app yet')
      await page.getByRole('textbox', { name: 'Name of the group marked 1' }).fill('App users')
      await page.screenshot({ path: `${OUT}/map-light.png`, fullPage: true })
      await page.getByRole('button', { name: 'Continue: review the groups' }).click()
      await page.getByTestId('identity').waitFor()
      await page.getByTestId('result-row').first().getByText(/\S/).first().waitFor()
      await page.mouse.move(0, 0)
      await page.screenshot({ path: `${OUT}/review-light.png`, fullPage: true })
    }
    await page.close()
  }
  const icon = await browser.newPage({ viewport: { width: 512, height: 512 } })
  await icon.setContent(
    `<style>body{margin:0}</style>${readFileSync('build/icons/icon.svg', 'utf8').replace('<svg ', '<svg width="512" height="512" ')}`,
  )
  await icon.screenshot({ path: 'build/icons/icon.png', omitBackground: true })
} finally {
  await browser.close()
  server.kill()
  rmSync(scratch, { recursive: true, force: true })
}
console.log(`Screenshots saved in ${OUT}/`)
