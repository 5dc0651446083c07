import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { E2E_CRONTAB_FILE, E2E_DATA_DIR, E2E_RUN_DIR } from '../../playwright.config'
import {
  CAMPAIGN_X,
  CAMPAIGN_Y,
  captureForReadme,
  dropFile,
  expect,
  expectNoAccessibilityViolations,
  prepareCustomers,
  test,
} from './fixtures'

const ROUTINE = 'Monthly app-usage mailing'
// June: other people, some flags flipped (Ann stopped using the app, Bob started).
const JUNE = [
  'Email,App,First name',
  'ann@example.com,0,Ann',
  'bob@example.com,1,Bob',
  'cat@example.com,1,Cat',
  'fay@example.com,0,Fay',
  'gus@example.com,1,Gus',
  'hal@example.com,0,Hal',
].join('\n')
// July: the flag column has a value the routine doesn't know.
const JULY = [
  'Email,App,First name',
  'ann@example.com,0,Ann',
  'bob@example.com,maybe,Bob',
  'cat@example.com,1,Cat',
].join('\n')

/** The first screen: the routines above the jobs. */
async function firstScreen(app: Page) {
  await app.getByRole('button', { name: 'Your jobs' }).click()
  await expect(app.getByRole('heading', { name: 'Your jobs', level: 2 })).toBeVisible()
  // (The pointer left on the header's button would be its hover colours under axe's look.)
  await app.mouse.move(0, 0)
}

async function sendBoth(
  app: Page,
  lists: [string, string],
  look: { beforeSend?: (dialog: Locator) => Promise<void>; afterSend?: (dialog: Locator) => Promise<void> } = {},
) {
  await app.getByRole('button', { name: 'Send…' }).click({ timeout: 30_000 })
  const dialog = app.getByRole('dialog', { name: 'Send for real?' })
  await look.beforeSend?.(dialog)
  await dialog.getByRole('button', { name: `Send “${CAMPAIGN_X}” to “${lists[0]}”` }).click()
  await expect(dialog.getByTestId('confirm-send-0').getByTestId('confirm-result')).toContainText('was sent', {
    timeout: 20_000,
  })
  await look.afterSend?.(dialog)
  await dialog.getByRole('button', { name: `Send “${CAMPAIGN_Y}” to “${lists[1]}”` }).click()
  await expect(dialog.getByTestId('confirm-send-1').getByTestId('confirm-result')).toContainText('was sent', {
    timeout: 20_000,
  })
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
  await expect(app.getByTestId('send-state-1')).toHaveAttribute('data-phase', 'sent')
}

test('a run saved as a routine: next month’s file reaches Review pre-filled, one confirmation to upload and to send, both runs in its history', async ({
  app,
}) => {
  test.setTimeout(240_000)
  const lists: [string, string] = ['Routine: not using the app', 'Routine: app users']

  // May, by hand: connect, open, map, review, upload, send.
  await prepareCustomers(app, 'usage-may.csv')
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await app.getByRole('textbox', { name: 'Name of the new list for “Not using the app”' }).fill(lists[0])
  await app.getByRole('textbox', { name: 'Name of the new list for “App users”' }).fill(lists[1])
  await app.getByRole('button', { name: 'Check the plan' }).click()
  await app.getByRole('button', { name: 'Start the upload' }).click()
  await app.getByRole('button', { name: 'Continue: send the messages' }).click({ timeout: 90_000 })
  await app.getByRole('combobox', { name: 'Campaign for “Not using the app”' }).click()
  await app.getByRole('option', { name: new RegExp(CAMPAIGN_X) }).click()
  // Group 0's checks done first (as in send.spec.ts): its panel grows when they end, and would move
  // group 1's picker from under the pointer.
  await expect(app.getByTestId('send-group-0').getByTestId('preflight-verdict')).toHaveText(
    'Every check passed: this can be sent.',
    { timeout: 30_000 },
  )
  await app.getByRole('combobox', { name: 'Campaign for “App users”' }).click()
  await app.getByRole('option', { name: new RegExp(CAMPAIGN_Y) }).click()
  await expect(app.getByTestId('send-group-1').getByTestId('preflight-verdict')).toHaveText(
    'Every check passed: this can be sent.',
    { timeout: 30_000 },
  )
  await sendBoth(app, lists)

  // Save as a routine, by keyboard.
  await app.getByRole('button', { name: 'Save as a routine…' }).click()
  const saveDialog = app.getByRole('dialog', { name: 'Save as a routine' })
  await expect(saveDialog.getByRole('textbox', { name: 'Name of the routine' })).toBeFocused()
  await app.keyboard.type(ROUTINE)
  await expectNoAccessibilityViolations(app)
  await app.keyboard.press('Enter')
  await expect(app.getByRole('status')).toContainText(`Saved as the routine “${ROUTINE}”`)
  await expect(app.getByRole('button', { name: `Update routine “${ROUTINE}”` })).toBeVisible()
  // The office gets a test of the first group's message before each month's send (set in the routine's dialog).
  await firstScreen(app)
  const card = app.getByRole('article', { name: ROUTINE })
  await card.getByRole('button', { name: 'History and schedule' }).click()
  const testAddresses = app.getByRole('textbox', { name: 'Test addresses for “Not using the app”' })
  await testAddresses.fill('office@example.com, not-an-address')
  await expect(app.getByText('“not-an-address” is not an email address.')).toBeVisible()
  await expect(app.getByRole('button', { name: 'Save the test addresses' })).toBeDisabled()
  await testAddresses.fill('office@example.com')
  await app.getByRole('button', { name: 'Save the test addresses' }).click()
  await expect(app.getByText('The test addresses are saved.')).toBeVisible()
  await expectNoAccessibilityViolations(app)
  const routineFile = join(E2E_DATA_DIR, 'routines', 'monthly-app-usage-mailing', 'routine.json')
  expect(JSON.parse(readFileSync(routineFile, 'utf8')).sending['0'].testAddresses).toEqual(['office@example.com'])
  await app.keyboard.press('Escape')

  // June: the routines are on the first screen, above the jobs; run it with the new file.
  await firstScreen(app)
  await expect(card.getByTestId('routine-last-run')).toContainText('Done')
  await expect(card.getByTestId('routine-last-run')).toContainText(
    '5 rows: 3 in “Not using the app”, 2 in “App users”, 0 problems',
  )
  await expect(card.getByTestId('routine-next-file')).toHaveText('Next run: the file you drop or pick.')
  await expectNoAccessibilityViolations(app)
  await card.getByRole('button', { name: 'Run with a new file…' }).click()
  const runDialog = app.getByRole('dialog', { name: `Run “${ROUTINE}” with a new file` })
  await expect(runDialog).toBeVisible()
  await expectNoAccessibilityViolations(app)
  await dropFile(app, '[data-testid="routine-dropzone"]', {
    name: 'usage-june.csv',
    mimeType: 'text/csv',
    content: JUNE,
  })

  // Nothing differs and no safety check objects: straight to Review, everything chosen.
  await expect(app.getByRole('heading', { name: 'Review the two groups', level: 2 })).toBeVisible({ timeout: 20_000 })
  await expect(app.getByTestId('identity')).toHaveText(
    '6 rows: 3 in “Not using the app” + 3 in “App users” + 0 problems.',
  )

  // Upload: the routine's lists, the plan checked already; one press.
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await expect(app.getByRole('heading', { name: `The lists of the routine “${ROUTINE}”` })).toBeVisible()
  // Checking the plan reads the lists' members (an export each: seconds with the practice account).
  await expect(app.getByRole('button', { name: 'Check the plan again' })).toBeVisible({ timeout: 30_000 })
  // The routine moves customers whose flag changed (Ann and Bob): Start asks once to confirm it.
  await expect(app.getByRole('radio', { name: /^Move customers whose flag changed/ })).toBeChecked()
  await app.getByRole('button', { name: 'Start the upload' }).click()
  await app
    .getByRole('dialog', { name: 'Take 2 contacts off the lists?' })
    .getByTestId('confirm-removals-button')
    .click()
  await app.getByRole('button', { name: 'Continue: send the messages' }).click({ timeout: 90_000 })

  // Send: the routine's campaigns, every check run; one confirmation.
  await expect(app.getByRole('combobox', { name: 'Campaign for “Not using the app”' })).toHaveValue(CAMPAIGN_X)
  await expect(app.getByRole('combobox', { name: 'Campaign for “App users”' })).toHaveValue(CAMPAIGN_Y)
  await expect(app.getByTestId('send-group-0').getByTestId('preflight-verdict')).toBeVisible({ timeout: 30_000 })
  await sendBoth(app, lists, {
    // The routine's rule, as its command's run: its test first, then the send.
    beforeSend: async (dialog) =>
      expect(dialog.getByTestId('confirm-send-0').getByTestId('confirm-test')).toHaveText(
        'A test goes to office@example.com first.',
      ),
    afterSend: async (dialog) =>
      expect(dialog.getByTestId('confirm-send-0').getByTestId('confirm-result')).toContainText(
        'The test went to office@example.com first.',
      ),
  })

  // The routine's history shows both runs, newest first, each with its report.
  await firstScreen(app)
  await card.getByRole('button', { name: 'History and schedule' }).click()
  const history = app.getByTestId('routine-history')
  await expect(history.getByRole('row')).toHaveCount(3)
  await expect(history.getByRole('row').nth(1)).toContainText('usage-june.csv')
  await expect(history.getByRole('row').nth(1)).toContainText('6 rows')
  await expect(history.getByRole('row').nth(2)).toContainText('usage-may.csv')
  await expect(history.getByRole('button', { name: 'Open the report' })).toHaveCount(2)

  // A schedule, by keyboard: registered with this computer's scheduler (here the bridge's recording
  // crontab), shown with the command it runs, then removed.
  const schedule = app.getByRole('form', { name: 'The routine’s schedule' })
  await expect(app.getByTestId('routine-schedule')).toHaveText('Not scheduled: it runs when you run it.')
  await schedule.getByRole('textbox', { name: 'Day of the month (1–28)' }).fill('3')
  await schedule.getByRole('textbox', { name: 'At (HH:MM, this computer’s clock)' }).fill('07:30')
  await app.keyboard.press('Enter')
  await expect(app.getByTestId('routine-schedule-done')).toHaveText(
    'Scheduled: it runs by itself every month on day 3 at 07:30.',
  )
  await expect(app.getByTestId('routine-schedule')).toHaveText(
    'Runs by itself every month on day 3 at 07:30. Scheduled every month on day 3 at 07:30 (in your crontab).',
  )
  await expect(app.getByTestId('routine-schedule-command')).toHaveText(
    new RegExp(`^The computer runs: /\\S*node ${join(process.cwd(), 'bin', 'splitsend.js')} routine run "${ROUTINE}"$`),
  )
  const crontab = readFileSync(E2E_CRONTAB_FILE, 'utf8')
  expect(crontab).toMatch(/^30 7 3 \* \* .*'routine' 'run' 'Monthly app-usage mailing'$/m)
  expect(crontab).toContain(`SPLITSEND_DATA_DIR='${E2E_DATA_DIR}'`)
  await expectNoAccessibilityViolations(app)
  await app.getByRole('heading', { name: 'Schedule', level: 3 }).scrollIntoViewIfNeeded()
  await captureForReadme(app, 'routine-history')
  await schedule.getByRole('button', { name: 'Remove the schedule' }).focus()
  await app.keyboard.press('Enter')
  await expect(app.getByTestId('routine-schedule-done')).toHaveText('The schedule was removed.')
  await expect(app.getByTestId('routine-schedule')).toHaveText('Not scheduled: it runs when you run it.')
  expect(readFileSync(E2E_CRONTAB_FILE, 'utf8')).not.toContain('Monthly app-usage mailing')
  await expectNoAccessibilityViolations(app)
  // Next month's file from a folder: the newest matching file.
  const exports = mkdtempSync(join(E2E_RUN_DIR, 'exports-'))
  writeFileSync(join(exports, 'usage-july.csv'), JULY)
  writeFileSync(join(exports, 'notes.txt'), 'not a match')
  await app.getByRole('textbox', { name: 'Folder' }).fill(exports)
  await app.getByRole('textbox', { name: 'File name pattern' }).fill('usage-*.csv')
  await app.getByRole('button', { name: 'Use this folder' }).click()
  await history.getByRole('button', { name: 'Open the report' }).first().click()
  await expect(app.getByRole('heading', { name: 'Report', level: 2 })).toBeVisible()

  // July, by keyboard: a new flag value is shown before Review, not adapted silently; the person can stop.
  await firstScreen(app)
  await expect(card.getByTestId('routine-next-file')).toContainText('Next run would use “usage-july.csv”')
  await expect(card.getByTestId('routine-last-run')).toContainText('6 rows')
  await captureForReadme(app, 'routines')
  await card.getByRole('button', { name: 'Run with a new file…' }).focus()
  await app.keyboard.press('Enter')
  await expect(runDialog).toBeVisible()
  await runDialog.getByRole('button', { name: 'Use “usage-july.csv”' }).focus()
  await app.keyboard.press('Enter')
  const check = app.getByTestId('routine-check')
  await expect(check).toContainText('The flag value “maybe” is new')
  await expect(check.getByRole('button', { name: 'Go on to Review' })).toBeEnabled({ timeout: 20_000 })
  await expect(check).toContainText('Safety checks')
  await expectNoAccessibilityViolations(app)
  await check.getByRole('button', { name: 'Stop this run' }).click()
  // The file stays open, as a run of its own.
  await expect(app.getByRole('heading', { name: 'Open the spreadsheet', level: 2 })).toBeVisible()
  await expect(app.getByText('usage-july.csv').first()).toBeVisible()
  await firstScreen(app)
  await expect(app.getByRole('heading', { name: 'Your routines', level: 2 })).toBeVisible()
})
