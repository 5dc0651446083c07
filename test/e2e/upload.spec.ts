import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import {
  captureForReadme,
  dropFile,
  expect,
  expectNoAccessibilityViolations,
  practiceAtPersonSpeed,
  test,
} from './fixtures'

const DROPZONE = '.mantine-Dropzone-root'
// Two customers who don't use the app, three who do, and one address Prepare leaves out. Columns
// of their own ("Name"): a file of the same columns gets the last run's choices, and another spec's
// run on this bridge must not decide what these tests see.
const CUSTOMERS = [
  'Email,Uses app,Name',
  'uma@example.com,0,Uma',
  'vic@example.com,1,Vic',
  'wes@example.com,1,Wes',
  'not-an-address,1,Xan',
  'yan@example.com,0,Yan',
  'zoe@example.com,1,Zoe',
].join('\n')
const GROUP_0 = 'Customers who don’t use the app'
const GROUP_1 = 'Customers who use the app'

const connectStep = (app: Page) => app.getByRole('button', { name: /Connect.*Your Constant Contact account/ }).first()
const uploadHeading = (app: Page) =>
  app.getByRole('heading', { name: 'Upload the groups to Constant Contact', level: 2 })

/** Connect (or not), then drop the file, accept the suggested columns, name the groups (or not) and review. */
async function prepareCustomers(
  app: Page,
  { connect, name = true, content = CUSTOMERS }: { connect: boolean; name?: boolean; content?: string },
) {
  await connectStep(app).click()
  const disconnect = app.getByRole('button', { name: 'Disconnect' })
  const practice = app.getByRole('button', { name: 'Use the practice account' })
  await expect(disconnect.or(practice)).toBeVisible()
  if (connect && (await practice.isVisible())) await practice.click()
  if (!connect && (await disconnect.isVisible())) await disconnect.click()
  await expect(connect ? app.getByTestId('connected-account') : practice).toBeVisible()

  await app
    .getByRole('button', { name: /Import.*Open the spreadsheet/ })
    .first()
    .click()
  await dropFile(app, DROPZONE, { name: 'customers.csv', mimeType: 'text/csv', content })
  await expect(app.getByTestId('row-count')).toHaveText('6 rows')
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  if (name) {
    await app.getByRole('textbox', { name: 'Name of the group marked 0' }).fill(GROUP_0)
    await app.getByRole('textbox', { name: 'Name of the group marked 1' }).fill(GROUP_1)
  }
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  const [zero, one] = name ? [GROUP_0, GROUP_1] : ['Uses app: no', 'Uses app: yes']
  await expect(app.getByTestId('identity')).toHaveText(`6 rows: 2 in “${zero}” + 3 in “${one}” + 1 problem.`)
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await expect(uploadHeading(app)).toBeVisible()
}

test('without a connected account, the Upload step says so and leads to Connect', async ({ app }) => {
  await prepareCustomers(app, { connect: false })
  await expect(app.getByText('Connect your Constant Contact account first').first()).toBeVisible()
  await expect(app.getByRole('button', { name: 'Check the plan' })).toBeDisabled()
  await expectNoAccessibilityViolations(app)
  await app.getByRole('button', { name: 'Go to Connect' }).click()
  await expect(app.getByRole('heading', { name: 'Your Constant Contact account', level: 2 })).toBeVisible()
})

test('a list is never made from a group name Splitsend suggested without asking', async ({ app }) => {
  await prepareCustomers(app, { connect: true, name: false })
  const newName = app.getByRole('textbox', { name: 'Name of the new list for “Uses app: no”' })
  await expect(newName).toHaveValue('Uses app: no')
  const useIt = (group: string) => app.getByRole('checkbox', { name: `Use the name “${group}”` })
  await expect(useIt('Uses app: no')).not.toBeChecked()
  await expect(app.getByRole('button', { name: 'Check the plan' })).toBeDisabled()
  await expect(app.getByText('Use the suggested list names, or type your own, first.')).toBeVisible()
  await expectNoAccessibilityViolations(app)
  // Saying to use one, and typing the other, is asking enough.
  await useIt('Uses app: no').check()
  await app.getByRole('textbox', { name: 'Name of the new list for “Uses app: yes”' }).fill('App users, this month')
  await expect(useIt('Uses app: yes')).toHaveCount(0)
  await expect(app.getByRole('button', { name: 'Check the plan' })).toBeEnabled()
})

test('an upload paused and cancelled: the Cancel dialog asks first, named and in reach of the keyboard', async ({
  app,
}) => {
  await practiceAtPersonSpeed(app) // paused before it finishes
  // Columns of their own (no other spec's file has “Nickname”; jobs.spec's has “Given name”), so these
  // choices are not the last run's of another test's file on the same bridge.
  await prepareCustomers(app, { connect: true, content: CUSTOMERS.replace('Name', 'Nickname') })
  await app.getByRole('textbox', { name: `Name of the new list for “${GROUP_0}”` }).fill(`Paused 0 ${Date.now()}`)
  await app.getByRole('textbox', { name: `Name of the new list for “${GROUP_1}”` }).fill(`Paused 1 ${Date.now()}`)
  await app.getByRole('button', { name: 'Check the plan' }).click()
  await app.getByRole('button', { name: 'Start the upload' }).click()
  await app.getByRole('button', { name: 'Pause' }).click()
  await expect(app.getByRole('heading', { name: 'The upload is paused', level: 3 })).toBeVisible()

  await app.getByRole('button', { name: 'Cancel the upload…' }).click()
  const dialog = app.getByRole('dialog', { name: 'Cancel the upload?' })
  await expect(dialog.getByRole('button', { name: 'Close: keep uploading' })).toBeVisible()
  await expectNoAccessibilityViolations(app)
  await app.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await app.getByRole('button', { name: 'Cancel the upload…' }).click()
  await dialog.getByRole('button', { name: 'Cancel the upload' }).click()
  await expect(app.getByTestId('upload-outcome')).toHaveAttribute('data-outcome', /cancel/, { timeout: 60_000 })
  await expectNoAccessibilityViolations(app)
})

test('each group goes to its own list: plan, upload with live imports, and the report', async ({ app }) => {
  test.setTimeout(150_000)
  const newList = `App users ${Date.now()}`
  await prepareCustomers(app, { connect: true })
  await expect(app.getByTestId('upload-account')).toContainText('Practice account')
  await expect(app.getByText('File: customers.csv')).toBeVisible()
  await expectNoAccessibilityViolations(app)

  // Group 0 into an existing list, found by searching; group 1 into a new list.
  const group0 = app.getByTestId('group-choice-0')
  await group0.getByRole('radio', { name: 'A list you already have' }).check()
  const picker = app.getByRole('combobox', { name: `List for “${GROUP_0}”` })
  await picker.click()
  await picker.fill('Cust')
  await app.getByRole('option', { name: 'Customers', exact: true }).click()
  await expect(group0.getByText(/It already has \d+ members?; the plan says what happens to them\./)).toBeVisible()

  // The same list for both groups is refused before anything else happens.
  const group1 = app.getByTestId('group-choice-1')
  const newName = app.getByRole('textbox', { name: `Name of the new list for “${GROUP_1}”` })
  await expect(newName).toHaveValue(GROUP_1)
  await newName.fill('Customers')
  await expect(group1.getByText('Both groups can’t go to the same list.', { exact: false })).toBeVisible()
  await expect(app.getByRole('button', { name: 'Check the plan' })).toBeDisabled()
  await newName.fill(newList)

  // The plan, in plain words, before anything is sent.
  await app.getByRole('button', { name: 'Check the plan' }).click()
  const plan = app.getByTestId('upload-plan')
  // “Customers” has members: the plan reads them first (an export: about ten seconds on the practice account).
  await expect(plan).toContainText(`2 contacts from “${GROUP_0}” go to the list “Customers”, in 1 import.`, {
    timeout: 30_000,
  })
  await expect(plan).toContainText(`3 contacts from “${GROUP_1}” go to a new list “${newList}”, in 1 import.`)
  await expect(app.getByTestId('plan-totals')).toHaveText(
    /^In all: 5 contacts in 2 imports to Constant Contact, taking (less than a minute|about \d+ minutes?)\.$/,
  )
  await expect(plan.getByText(/The list “Customers” \(for .*\) already has \d+ members?/)).toBeVisible()
  await expect(plan.getByText(`A new list “${newList}” will be created for “${GROUP_1}”.`)).toBeVisible()
  await expectNoAccessibilityViolations(app)
  await captureForReadme(app, 'upload-plan')

  // Upload: one row per import, updating live until both are finished, at the practice account's
  // own speed (at the tests' pace the imports could finish before the test sees a row working).
  await practiceAtPersonSpeed(app)
  // Started with the keyboard: the button goes, and the focus goes to what replaces it, not to the page's top.
  await app.getByRole('button', { name: 'Start the upload' }).press('Enter')
  await expect
    .poll(() => app.evaluate(() => document.activeElement?.closest('[data-testid="upload-body"]') !== null))
    .toBe(true)
  const rows = app.getByTestId('activity-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0)).toContainText(GROUP_0)
  await expect(rows.nth(1)).toContainText(newList)
  // While Constant Contact works, a row shows a state before "Finished" (the practice account takes a few seconds).
  await expect(
    rows
      .locator('[data-testid="activity-state"]')
      .filter({ hasText: /Sending|Received, waiting to start|adding the contacts|Waiting its turn/ })
      .first(),
  ).toBeVisible()
  await expect(app.getByRole('progressbar', { name: 'The whole upload' })).toBeAttached()
  await expect(app.getByTestId('overall-words')).toContainText('of 5 contacts processed')
  await expectNoAccessibilityViolations(app)

  const outcome = app.getByTestId('upload-outcome')
  await expect(outcome).toHaveAttribute('data-outcome', 'all_added', { timeout: 90_000 })
  await expect(outcome).toContainText('All 5 contacts were added to their lists.')
  await expect(rows).toHaveCount(2)
  for (const i of [0, 1]) {
    await expect(rows.nth(i)).toHaveAttribute('data-state', 'completed')
    await expect(rows.nth(i).getByTestId('activity-percent')).toHaveText('100 %')
  }
  await expect(rows.nth(0).getByTestId('activity-added')).toHaveText('2')
  await expect(rows.nth(1).getByTestId('activity-added')).toHaveText('3')
  await expectNoAccessibilityViolations(app)
  await captureForReadme(app, 'upload-done')

  // The report: the same summary as report.html.
  await app.getByRole('button', { name: 'See the report' }).click()
  await expect(app.getByRole('heading', { name: 'Report', level: 2 })).toBeVisible()
  await expect(app.getByTestId('report-status')).toContainText(
    'The upload finished: Constant Contact added all 5 contacts to their lists.',
  )
  const facts = app.getByTestId('report-facts')
  await expect(facts).toContainText('customers.csv')
  await expect(facts).toContainText('Practice account')
  await expect(app.getByTestId('report-group-0')).toContainText('Customers')
  await expect(app.getByTestId('report-group-0').getByTestId('added')).toHaveText('2')
  await expect(app.getByTestId('report-group-1')).toContainText(`${newList} (new list)`)
  await expect(app.getByTestId('report-group-1').getByTestId('added')).toHaveText('3')
  await expect(app.getByTestId('outcome-added')).toContainText('5')
  // Left out, told apart by why; Constant Contact's terms only under "Technical details".
  await expect(app.getByTestId('outcome-left_out-invalid_email')).toHaveText('Left out: Email address not usable1')
  await expect(app.getByText(/activity ID|Correctable|Tries/).filter({ visible: true })).toHaveCount(0)
  await captureForReadme(app, 'report')
  await app.getByRole('button', { name: 'Technical details, for Constant Contact’s support' }).click()
  await expect(app.getByTestId('report-activity')).toHaveCount(2)
  await expect(app.getByTestId('report-activity').first()).toContainText('completed')
  await expect(app.locator('figure[aria-label="Chart: contacts of each group by outcome"] svg').first()).toBeVisible()
  await expectNoAccessibilityViolations(app)

  // report.csv and report.html, downloaded by the browser.
  const [csvDownload] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Download report.csv' }).click(),
  ])
  expect(csvDownload.suggestedFilename()).toBe('customers – Splitsend report.csv')
  const csv = readFileSync((await csvDownload.path())!, 'utf8')
  expect(csv.startsWith('\ufeffRow,Email,Group,Outcome')).toBe(true)
  const lines = csv.trim().split(/\r?\n/)
  expect(lines).toHaveLength(7) // the header and one line per row of the file
  expect(lines.filter((line) => line.includes(newList))).toHaveLength(3)
  const [htmlDownload] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Download report.html' }).click(),
  ])
  const reportHtml = readFileSync((await htmlDownload.path())!, 'utf8')
  expect(reportHtml).toContain('The upload finished: Constant Contact added all 5 contacts to their lists.')
  // report.html, opened as a page of its own, has no accessibility problems either.
  const reportPage = await app.context().newPage()
  await reportPage.setContent(reportHtml)
  await expect(reportPage.getByRole('main')).toBeVisible()
  await expectNoAccessibilityViolations(reportPage)
  await reportPage.close()

  // The dark theme has no accessibility problems either (the pointer moved off the last button clicked).
  await app.mouse.move(0, 0)
  await app.emulateMedia({ colorScheme: 'dark' })
  await expect(app.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark')
  await expectNoAccessibilityViolations(app)

  // Back on the Upload step (through the steps), the finished upload is shown, not offered again.
  await app
    .getByRole('button', { name: /Upload.*Put each group on its list/ })
    .first()
    .click()
  await expect(uploadHeading(app)).toBeVisible()
  await expect(app.getByTestId('upload-outcome')).toHaveAttribute('data-outcome', 'all_added')
  await expect(app.getByRole('button', { name: 'Start the upload' })).toHaveCount(0)

  // The report ends with the way on to next month's file: Import, empty.
  await app
    .getByRole('button', { name: /Report.*Keep a record/ })
    .first()
    .click()
  await app.getByRole('button', { name: 'Start the next file' }).click()
  await expect(app.getByRole('heading', { name: 'Open the spreadsheet', level: 2 })).toBeVisible()
  await expect(app.getByTestId('row-count')).toHaveCount(0)
  // It offers this job's choices; without them, a file of the same columns still gets the last run's.
  await expect(app.getByTestId('next-file')).toContainText('The next file gets the choices of “customers.csv”')
  await app.getByRole('button', { name: 'Don’t use them' }).click()
  await expect(app.getByTestId('next-file')).toHaveCount(0)

  // Next month's file has the same columns: this month's choices are offered again, lists included.
  const nextMonth = ['Email,Uses app,Name', 'ann@example.com,1,Ann', 'bea@example.com,0,Bea'].join('\n')
  await dropFile(app, DROPZONE, { name: 'customers-next.csv', mimeType: 'text/csv', content: nextMonth })
  await expect(app.getByTestId('row-count')).toHaveText('2 rows')
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await expect(app.getByTestId('last-run-note')).toContainText('the same columns as “customers.csv”')
  await expect(app.getByRole('textbox', { name: 'Name of the group marked 0' })).toHaveValue(GROUP_0)
  await expect(app.getByRole('textbox', { name: 'Name of the group marked 1' })).toHaveValue(GROUP_1)
  await expectNoAccessibilityViolations(app)
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await expect(app.getByTestId('identity')).toHaveText(`2 rows: 1 in “${GROUP_0}” + 1 in “${GROUP_1}” + 0 problems.`)
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await expect(app.getByText('The lists of your last run with these columns are chosen again.')).toBeVisible()
  for (const [group, list] of [
    [GROUP_0, 'Customers'],
    [GROUP_1, newList],
  ] as const)
    await expect(app.getByRole('combobox', { name: `List for “${group}”` })).toHaveValue(list)
})
