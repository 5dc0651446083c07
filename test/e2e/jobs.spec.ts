import type { Locator, Page } from '@playwright/test'
import {
  captureForReadme,
  dropFile,
  expect,
  expectNoAccessibilityViolations,
  practiceAtPersonSpeed,
  test,
  usePracticeAccount,
} from './fixtures'

const DROPZONE = '.mantine-Dropzone-root'
// Columns of their own ("Given name"): the last run's choices for a file of the same columns are
// offered again, and the other specs' files (Email, Uses app, First name) share this bridge.
const CUSTOMERS = [
  'Email,Uses app,Given name',
  'ana@example.com,0,Ana',
  'ben@example.com,1,Ben',
  'cyd@example.com,1,Cyd',
  'dee@example.com,0,Dee',
].join('\n')

const heading = (app: Page, name: string) => app.getByRole('heading', { name, level: 2 })
const jobCard = (app: Page, fileName: string): Locator =>
  app.getByTestId('job').filter({ has: app.getByRole('heading', { name: fileName, level: 3 }) })

/** A file of `rows` customers, for a full pass that takes a moment. */
function manyCustomers(rows: number): string {
  const lines = ['Email,Uses app,Given name']
  for (let i = 0; i < rows; i++) lines.push(`person${i}@example.com,${i % 2},P${i}`)
  return lines.join('\n')
}

/** Resolves when main answers the full pass of the file named `fileName` (seen on the page's WebSocket). */
function passAnswered(app: Page, fileName: string): Promise<void> {
  return new Promise((resolve) => {
    app.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        const text = String(payload)
        if (text.includes('"summary"') && text.includes('"jobId"') && text.includes(fileName)) resolve()
      }),
    )
  })
}

/** Waits until nothing on the page moves (a dialog's fade-in would be measured half transparent). */
async function settled(app: Page) {
  await app.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))
}

/** Connects the practice account (from wherever the app is), then opens Import. */
async function connectPractice(app: Page) {
  await usePracticeAccount(app)
  await app.getByRole('button', { name: 'Continue to Import' }).click()
}

/** Drops a file on Import and goes through Map and Review to Upload, naming group 0. */
async function prepare(app: Page, name: string, content = CUSTOMERS, group0 = 'Non-users') {
  await dropFile(app, DROPZONE, { name, mimeType: 'text/csv', content })
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await app.getByRole('textbox', { name: 'Name of the group marked 0' }).fill(group0)
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await expect(heading(app, 'Upload the groups to Constant Contact')).toBeVisible()
}

/** Both groups to new lists with these names, then Start. */
async function startUpload(app: Page, lists: [string, string]) {
  for (const [group, list] of lists.entries()) {
    const choice = app.getByTestId(`group-choice-${group}`)
    await choice.getByRole('radio', { name: 'A new list' }).check()
    await choice.getByRole('textbox', { name: /Name of the new list/ }).fill(list)
  }
  await app.getByRole('button', { name: 'Check the plan' }).click()
  await app.getByRole('button', { name: 'Start the upload' }).click()
  await expect(app.getByTestId('activity-row')).toHaveCount(2)
}

test('a reload during an upload opens it where it is; the Jobs view keeps it, its report, and asks before deleting it', async ({
  app,
}) => {
  test.setTimeout(120_000)
  await practiceAtPersonSpeed(app) // reloaded before it finishes
  const file = `jobs-${Date.now()}.csv`
  await connectPractice(app)
  await prepare(app, file)
  await startUpload(app, [`Non-users ${file}`, `Users ${file}`])

  // The page is reloaded while Constant Contact works: the app opens on the running upload.
  await app.reload()
  await expect(heading(app, 'Upload the groups to Constant Contact')).toBeVisible()
  await expect(app.getByText(`File: ${file}`)).toBeVisible()
  await expect(app.getByTestId('activity-row')).toHaveCount(2)
  await expect(app.getByRole('button', { name: 'Pause' })).toBeVisible()
  await captureForReadme(app, 'upload-resumed')

  // The list of jobs shows it as running, first.
  await app.getByRole('button', { name: 'Your jobs' }).click()
  const attention = app.getByTestId('jobs-attention')
  await expect(jobCard(app, file).getByText('Uploading now', { exact: true })).toBeVisible()
  await expect(attention.getByRole('heading', { name: file })).toBeVisible()
  await expectNoAccessibilityViolations(app)

  // Once it has finished: its lists, what Constant Contact added, and the report.
  const card = jobCard(app, file)
  await expect(card.getByTestId('job-standing')).toHaveText('All 4 contacts added to their lists.', {
    timeout: 60_000,
  })
  await expect(card.getByRole('cell', { name: `Non-users ${file}` })).toBeVisible()
  await expect(card.getByRole('cell', { name: 'Not sent' }).first()).toBeVisible()
  await expect(card.getByRole('button', { name: 'Continue: send the messages' })).toBeVisible()
  await captureForReadme(app, 'jobs')
  await card.getByRole('button', { name: 'Open the report' }).click()
  await expect(heading(app, 'Report')).toBeVisible()
  await expect(app.getByText(file).first()).toBeVisible()

  // Removing it asks first, naming its report; "Keep it" keeps it.
  await app.getByRole('button', { name: 'Your jobs' }).click()
  await jobCard(app, file).getByRole('button', { name: 'Remove from the list' }).click()
  const dialog = app.getByRole('dialog', { name: `Remove “${file}” from the list?` })
  await expect(dialog).toContainText('and its report (report.html and report.csv)')
  await settled(app)
  await expectNoAccessibilityViolations(app)
  await dialog.getByRole('button', { name: 'Keep it' }).click()
  await expect(jobCard(app, file)).toBeVisible()
  await jobCard(app, file).getByRole('button', { name: 'Remove from the list' }).click()
  await app.getByRole('button', { name: 'Remove it and delete its report' }).click()
  await expect(jobCard(app, file)).toHaveCount(0)
})

test('once the upload has started, Map and Review are read-only; changing them makes a new job and the old one stays', async ({
  app,
}) => {
  test.setTimeout(120_000)
  const file = `locked-${Date.now()}.csv`
  await connectPractice(app)
  await prepare(app, file, CUSTOMERS, 'First name for 0')
  await startUpload(app, [`A ${file}`, `B ${file}`])

  await app.getByRole('button', { name: /Map.*Choose the columns/ }).click()
  await expect(app.getByTestId('choices-locked')).toBeVisible()
  const name0 = app.getByRole('textbox', { name: 'Name of the group marked 0' })
  await expect(name0).toBeDisabled()
  await expect(app.getByRole('radio', { name: 'The first row wins' })).toBeDisabled()
  await expectNoAccessibilityViolations(app)
  await app.getByRole('button', { name: /Review.*Check the two groups/ }).click()
  await expect(app.getByTestId('choices-locked')).toBeVisible()

  // A new job from the same file and choices.
  await app.getByRole('button', { name: /Map.*Choose the columns/ }).click()
  await app.getByRole('button', { name: 'Change them in a new job' }).click()
  await name0.fill('Second name for 0')
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await expect(app.getByRole('heading', { name: 'Choose a list for each group' })).toBeVisible()

  await app.getByRole('button', { name: 'Your jobs' }).click()
  const jobs = app.getByTestId('job').filter({ has: app.getByRole('heading', { name: file, level: 3 }) })
  await expect(jobs).toHaveCount(2)
  await expect(jobs.filter({ hasText: 'Second name for 0' })).toContainText('Prepared, not uploaded yet.')
  // The first job kept its groups and its upload.
  await expect(jobs.filter({ hasText: 'First name for 0' }).getByRole('cell', { name: `A ${file}` })).toBeVisible()
})

test('the next file with an earlier job’s choices: its columns found by name, its lists chosen again', async ({
  app,
}) => {
  test.setTimeout(120_000)
  const first = `month-1-${Date.now()}.csv`
  await connectPractice(app)
  await prepare(app, first, CUSTOMERS, 'Non-users')
  await startUpload(app, [`Non-users ${first}`, `Users ${first}`])

  await app.getByRole('button', { name: 'Your jobs' }).click()
  await expect(jobCard(app, first).getByTestId('job-standing')).toHaveText('All 4 contacts added to their lists.', {
    timeout: 60_000,
  })
  await jobCard(app, first).getByRole('button', { name: 'Start the next file with these choices' }).click()
  await expect(app.getByTestId('next-file')).toContainText(`The next file gets the choices of “${first}”`)
  // Next month: the columns in another order, and one more.
  const second = `month-2-${Date.now()}.csv`
  const nextMonth = ['Given name,Region,Email,Uses app', 'Eve,North,eve@example.com,1', 'Fay,South,fay@example.com,0']
  await dropFile(app, DROPZONE, { name: second, mimeType: 'text/csv', content: nextMonth.join('\n') })
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await expect(app.getByTestId('carried-over')).toContainText('The column “Region” is new in this file')
  await expect(app.getByRole('textbox', { name: 'Name of the group marked 0' })).toHaveValue('Non-users')
  await expectNoAccessibilityViolations(app)
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await expect(app.getByTestId('identity')).toHaveText('2 rows: 1 in “Non-users” + 1 in “Uses app: yes” + 0 problems.')
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  // The earlier job's lists, chosen again by their IDs.
  await expect(app.getByRole('combobox', { name: 'List for “Non-users”' })).toHaveValue(`Non-users ${first}`)
  await expect(app.getByRole('combobox', { name: 'List for “Uses app: yes”' })).toHaveValue(`Users ${first}`)
})

test('left during its upload, a job is rejoined from the list; once finished it opens at its report, its choices read-only', async ({
  app,
}) => {
  test.setTimeout(120_000)
  await practiceAtPersonSpeed(app) // left before it finishes
  const file = `rejoin-${Date.now()}.csv`
  await connectPractice(app)
  await prepare(app, file, CUSTOMERS, 'Left users')
  await startUpload(app, [`Left ${file}`, `Right ${file}`])

  // The person goes to the list while Constant Contact works, then back to the running upload.
  await app.getByRole('button', { name: 'Your jobs' }).click()
  const card = jobCard(app, file)
  await expect(card.getByText('Uploading now', { exact: true })).toBeVisible()
  await card.getByRole('button', { name: 'Watch the upload' }).click()
  await expect(heading(app, 'Upload the groups to Constant Contact')).toBeVisible()
  await expect(app.getByText(`File: ${file}`)).toBeVisible()
  await expect(app.getByRole('button', { name: 'Pause' })).toBeVisible()
  await expect(app.getByTestId('upload-outcome')).toHaveAttribute('data-outcome', 'all_added', { timeout: 60_000 })

  // A new file is opened in the meantime, and the finished job opened at its own report while the
  // new file's full pass still runs: that pass ending doesn't take the job's place.
  const other = `other-${file}`
  const otherPrepared = passAnswered(app, other)
  await app.reload() // a new WebSocket, watched from its start; the app opens on the list of jobs
  await app.getByRole('button', { name: 'Open this month’s spreadsheet' }).click()
  await dropFile(app, DROPZONE, { name: other, mimeType: 'text/csv', content: manyCustomers(50_000) })
  await app.getByRole('button', { name: 'Your jobs' }).click()
  await jobCard(app, file).getByRole('button', { name: 'Open the report' }).click()
  await expect(heading(app, 'Report')).toBeVisible()
  await expect(app.getByText(file).first()).toBeVisible()
  await otherPrepared

  // Its Map step shows its own choices, read-only, not the file open now.
  await expect(heading(app, 'Report')).toBeVisible()
  await app.getByRole('button', { name: /Map.*Choose the columns/ }).click()
  const choices = app.getByTestId('earlier-job-choices')
  await expect(choices.getByRole('heading', { name: `The choices of “${file}”` })).toBeVisible()
  await expect(choices.getByRole('row', { name: /Left users/ })).toContainText(`Left ${file}`)
  await expect(choices.getByRole('textbox')).toHaveCount(0)
  await expect(app.getByRole('textbox', { name: 'Name of the group marked 0' })).toHaveCount(0)
  await expectNoAccessibilityViolations(app)
})
