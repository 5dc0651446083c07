import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Page } from '@playwright/test'
import { E2E_DATA_DIR, E2E_TOKEN } from '../../playwright.config'
import { TEST_PRACTICE_SPEED_PATH, TOKEN_HEADER } from '../../shared/web-bridge-protocol'

/** Opens the app through the web bridge, with its access key, and fails the test on any page error. */
export const test = base.extend<{ app: Page }>({
  app: async ({ page }, use) => {
    // Whatever an earlier test of this bridge asked for (see practiceAtPersonSpeed).
    await practiceAtTestSpeed(page)
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text()))
        problems.push(message.text())
    })
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:' && url.protocol !== 'blob:')
        problems.push(`request to ${request.url()}`)
    })
    await page.goto(`/#token=${E2E_TOKEN}`)
    await expect(page.getByRole('heading', { name: 'Splitsend', level: 1 })).toBeVisible()
    // With no account connected the app opens on Connect, with one on the list of jobs (or on an
    // upload still running); the tests start from Import, as a person who opens this month's
    // spreadsheet would, by the screen's own buttons.
    const importHeading = page.getByRole('heading', { name: 'Open the spreadsheet', level: 2 })
    const goToImport = page.getByRole('button', { name: 'go to Import' })
    const openFile = page.getByRole('button', { name: 'Open this month’s spreadsheet' })
    const upload = page.getByRole('heading', { name: 'Upload the groups to Constant Contact', level: 2 })
    await expect(importHeading.or(goToImport).or(openFile).or(upload)).toBeVisible()
    if (await goToImport.isVisible()) await goToImport.click()
    else if (await upload.isVisible()) await page.getByRole('button', { name: 'Your jobs' }).click()
    if (await openFile.isVisible()) await openFile.click()
    await expect(importHeading).toBeVisible()
    await use(page)
    expect(problems, 'the page made no foreign requests and broke no security policy').toEqual([])
  },
})

/** Sets this worker's practice account's speed (a bridge at the tests' pace serves this to tests only). */
async function setPracticeSpeed(page: Page, speed: 'test' | 'realistic'): Promise<void> {
  const response = await page.request.post(TEST_PRACTICE_SPEED_PATH, {
    headers: { [TOKEN_HEADER]: E2E_TOKEN },
    data: speed,
  })
  expect(response.status(), await response.text()).toBe(200)
}

/**
 * The practice account works at a person's speed (a few seconds an import) for the rest of this
 * test: for a test that watches a run go by (pauses it, reloads during it, sees its states), which
 * the tests' speed would finish first. The next test starts at the tests' speed again.
 */
export async function practiceAtPersonSpeed(page: Page): Promise<void> {
  await setPracticeSpeed(page, 'realistic')
}

/** Back to the tests' speed, once the part of the run the test watches has gone by. */
export async function practiceAtTestSpeed(page: Page): Promise<void> {
  await setPracticeSpeed(page, 'test')
}

export { expect }

/** The month's customers of the Send and routine tests: an email, the app-usage flag, a first name. */
export const CUSTOMERS = [
  'Email,App,First name',
  'ann@example.com,1,Ann',
  'bob@example.com,0,Bob',
  'cat@example.com,1,Cat',
  'dan@example.com,0,Dan',
  'eve@example.com,0,Eve',
].join('\n')

/** The practice account's two draft campaigns. */
export const CAMPAIGN_X = 'Practice message X: spring update'
export const CAMPAIGN_Y = 'Practice message Y: welcome'

/** Drops files on an element the way a person's drag and drop does. */
export async function dropFile(
  page: Page,
  selector: string,
  file: { name: string; mimeType: string; content: string | Buffer },
) {
  const bytes = Array.from(typeof file.content === 'string' ? Buffer.from(file.content) : file.content)
  const dataTransfer = await page.evaluateHandle(
    ({ name, mimeType, bytes }) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }))
      return transfer
    },
    { name: file.name, mimeType: file.mimeType, bytes },
  )
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent(selector, type, { dataTransfer })
}

/**
 * Fails with the list of accessibility violations axe finds on the page as it is now, once nothing
 * on it is moving (colours read halfway through a fade are not the ones a person reads), leaving out
 * the inside of a campaign's email preview: that is the campaign's own content (not Splitsend's), in
 * a frame where no script runs, so axe can't be injected there (it would wait for it until the
 * test's time is up). The frame itself (its title) is checked by the Send step's test.
 */
export async function expectNoAccessibilityViolations(page: Page, configure?: (axe: AxeBuilder) => AxeBuilder) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))
  const axe = new AxeBuilder({ page }).exclude('[data-testid="campaign-preview"]')
  const results = await (configure ? configure(axe) : axe).analyze()
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([])
}

/**
 * Saves the page as a README screenshot when `npm run screenshots` runs the tests
 * (SPLITSEND_SCREENSHOTS=1), so the pictures come from the same flows the tests check.
 */
export async function captureForReadme(page: Page, name: string) {
  if (process.env.SPLITSEND_SCREENSHOTS === '1') await page.screenshot({ path: `docs/screenshots/${name}.png` })
}

/**
 * Connects the practice account afresh on the Connect step (from wherever the app is): an earlier
 * test of the same bridge may have left a connection whose sign-in Constant Contact has ended.
 */
export async function usePracticeAccount(page: Page) {
  await page
    .getByRole('button', { name: /Connect.*Your Constant Contact account/ })
    .first()
    .click()
  const practice = page.getByRole('button', { name: 'Use the practice account' })
  const disconnect = page.getByRole('button', { name: 'Disconnect' })
  await expect(practice.or(disconnect)).toBeVisible()
  if (await disconnect.isVisible()) await disconnect.click()
  await practice.click()
  await expect(page.getByTestId('connected-account')).toContainText('Practice account')
}

/** An error main could answer a request with. */
export interface Failure {
  code: string
  message: string
  hint?: string
}

/**
 * Opens the app with its bridge traffic watched: every request the page sends is counted (with its
 * input), and a request named in `failing` (changeable while the test runs) gets that error as its
 * answer instead of reaching main. `push` sends the page an event as if main had.
 */
export async function openWatched(page: Page, failing: Record<string, Failure> = {}) {
  const asked: Array<{ request: string; input: unknown }> = []
  let toPage: ((message: string) => void) | undefined
  await page.routeWebSocket(/\/bridge/, (socket) => {
    toPage = (message) => socket.send(message)
    const server = socket.connectToServer()
    socket.onMessage((message) => {
      const { id, request, input } = JSON.parse(String(message)) as { id: number; request: string; input?: unknown }
      asked.push({ request, input })
      const failure = failing[request]
      if (failure) socket.send(JSON.stringify({ id, envelope: { ok: false, error: failure } }))
      else server.send(message)
    })
  })
  // A fresh page load (not only a new address fragment), so the page opens a new, watched socket.
  await page.goto('about:blank')
  await page.goto(`/#token=${E2E_TOKEN}`)
  return {
    count: (request: string) => asked.filter((a) => a.request === request).length,
    inputs: (request: string) => asked.filter((a) => a.request === request).map((a) => a.input),
    push: (event: string, payload: unknown) => toPage!(JSON.stringify({ event, payload })),
  }
}

/**
 * Resets the practice account from the Connect step (the app must be there, connected to it): the
 * tests of one bridge share its practice account, and what an earlier test sent or put on a list
 * (a campaign sent, customers on both lists) must not decide what a later one sees.
 */
export async function resetPracticeAccount(page: Page) {
  await page.getByRole('button', { name: 'Reset the practice account…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Reset the practice account?' })
  await dialog.getByRole('button', { name: 'Reset the practice account' }).click()
  await expect(page.getByTestId('practice-reset')).toContainText('as it was at the start', { timeout: 30_000 })
}

/**
 * Connects the practice account as it was at the start (reset), opens CUSTOMERS (as `name`), names
 * the groups "Not using the app" and "App users", and reaches Review.
 */
export async function prepareCustomers(app: Page, name = 'customers.csv') {
  await usePracticeAccount(app)
  await resetPracticeAccount(app)
  await app
    .getByRole('button', { name: /Import.*Open the spreadsheet/ })
    .first()
    .click()
  await dropFile(app, '.mantine-Dropzone-root', { name, mimeType: 'text/csv', content: CUSTOMERS })
  await expect(app.getByTestId('row-count')).toHaveText('5 rows')
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await app.getByRole('textbox', { name: 'Name of the group marked 0' }).fill('Not using the app')
  await app.getByRole('textbox', { name: 'Name of the group marked 1' }).fill('App users')
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await expect(app.getByTestId('identity')).toHaveText(
    '5 rows: 3 in “Not using the app” + 2 in “App users” + 0 problems.',
  )
}

/** The job the page prepared last: the newest folder in this worker's jobs folder. */
export function newestJobId(): string {
  const jobs = join(E2E_DATA_DIR, 'jobs')
  const [newest] = readdirSync(jobs)
    .filter((name) => existsSync(join(jobs, name, 'summary.json')))
    .sort((a, b) => statSync(join(jobs, b)).mtimeMs - statSync(join(jobs, a)).mtimeMs)
  if (!newest) throw new Error('no prepared job')
  return newest
}
