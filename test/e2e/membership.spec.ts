import type { Page } from '@playwright/test'
import {
  captureForReadme,
  dropFile,
  expect,
  expectNoAccessibilityViolations,
  test,
  usePracticeAccount,
  practiceAtPersonSpeed,
  practiceAtTestSpeed,
} from './fixtures'

/**
 * Lists that match the file, with the practice account: month 1 goes to two new lists ("Add only":
 * they have no members yet); in month 2 two customers' flags flipped and one left, and the plan
 * says what each choice does to each list, with names; "Make each list match its group exactly"
 * asks for confirmation before anything is taken off, then says what was.
 */
const DROPZONE = '.mantine-Dropzone-root'
const GROUP_0 = 'Not using the app'
const GROUP_1 = 'Using the app'
// Columns of their own ("Uses our app"): another spec's file of the same columns would get these
// tests' lists and group names as its last run's choices.
const MONTH_1 = [
  'Email,Uses our app,First name',
  'uma@month.example,0,Uma',
  'vic@month.example,1,Vic',
  'wes@month.example,1,Wes',
  'yan@month.example,0,Yan',
  'zoe@month.example,1,Zoe',
].join('\n')
// Uma now uses the app, Wes no longer does, Zoe left, Xavier is new.
const MONTH_2 = [
  'Email,Uses our app,First name',
  'uma@month.example,1,Uma',
  'vic@month.example,1,Vic',
  'wes@month.example,0,Wes',
  'yan@month.example,0,Yan',
  'xavier@month.example,0,Xavier',
].join('\n')

async function prepare(app: Page, name: string, content: string): Promise<void> {
  await app
    .getByRole('button', { name: /Import.*Open the spreadsheet/ })
    .first()
    .click()
  await dropFile(app, DROPZONE, { name, mimeType: 'text/csv', content })
  await expect(app.getByTestId('row-count')).toHaveText('5 rows')
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await app.getByRole('textbox', { name: 'Name of the group marked 0' }).fill(GROUP_0)
  await app.getByRole('textbox', { name: 'Name of the group marked 1' }).fill(GROUP_1)
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await expect(app.getByRole('heading', { name: 'Upload the groups to Constant Contact', level: 2 })).toBeVisible()
}

/** Month 1 to two new lists; "Add only" is suggested: they have no members yet, so nobody can leave. */
async function monthOneToNewLists(app: Page, lists: Record<'0' | '1', string>): Promise<void> {
  await prepare(app, 'month-1.csv', MONTH_1)
  // New lists, whatever an earlier test's run with these columns chose.
  for (const group of ['0', '1'] as const)
    await app.getByTestId(`group-choice-${group}`).getByRole('radio', { name: 'A new list' }).check()
  await app.getByRole('textbox', { name: `Name of the new list for “${GROUP_0}”` }).fill(lists['0'])
  await app.getByRole('textbox', { name: `Name of the new list for “${GROUP_1}”` }).fill(lists['1'])
  await app.getByRole('button', { name: 'Check the plan' }).click()
  const membership = app.getByTestId('list-membership')
  await expect(membership).toContainText('The lists have no members yet, so nobody has to leave them.')
  await expect(membership.getByRole('radio', { name: /^Add only \(suggested\)/ })).toBeChecked()
  await app.getByRole('button', { name: 'Start the upload' }).click()
  await expect(app.getByTestId('upload-outcome')).toHaveAttribute('data-outcome', 'all_added', { timeout: 90_000 })
}

/** Month 2 to the same lists, as far as the plan. */
async function monthTwoPlan(app: Page, lists: Record<'0' | '1', string>): Promise<void> {
  await prepare(app, 'month-2.csv', MONTH_2)
  // The file has month 1's columns: month 1's lists are chosen again.
  await expect(app.getByTestId('last-lists-note')).toBeVisible()
  await expect(app.getByRole('combobox', { name: `List for “${GROUP_0}”` })).toHaveValue(lists['0'])
  await expect(app.getByRole('combobox', { name: `List for “${GROUP_1}”` })).toHaveValue(lists['1'])
  await app.getByRole('button', { name: 'Check the plan' }).click()
}

test('the plan shows who moves out of each list and who is removed, and removals are confirmed first', async ({
  app,
}) => {
  test.setTimeout(240_000)
  const stamp = Date.now()
  const lists = { '0': `Month zero ${stamp}`, '1': `Month one ${stamp}` }

  await usePracticeAccount(app)
  await monthOneToNewLists(app, lists)

  // Month 2, to the same lists, at the practice account's own speed: the test watches the lists being read.
  await practiceAtPersonSpeed(app)
  await monthTwoPlan(app, lists)
  const membership = app.getByTestId('list-membership')
  // Reading the lists' members takes a few seconds with the practice account: said, with a bar.
  await expect(app.getByTestId('plan-progress')).toContainText('from Constant Contact…')
  await expect(membership).toBeVisible({ timeout: 60_000 })
  await practiceAtTestSpeed(app)

  // The lists have members now: moving the customers whose flag changed is suggested.
  await expect(
    membership.getByRole('radio', { name: /^Move customers whose flag changed \(suggested\)/ }),
  ).toBeChecked()
  await expect(membership).toContainText('never deletes or unsubscribes')
  const zero = app.getByTestId('movement-0')
  await expect(zero).toContainText(
    `“${lists['0']}” (for ${GROUP_0}) has 2 contacts now; the upload adds 2. 1 contact on it is in the other group of this file and moves out.`,
  )
  await expect(zero).toContainText('Leaving it, for example: Uma <uma@month.example>')
  await expect(app.getByTestId('movement-1')).toContainText(
    '1 contact on it is in the other group of this file and moves out. 1 contact on it isn’t in this file’s Using the app and stays.',
  )
  await expect(app.getByTestId('leaving-total')).toHaveText('2 contacts will be taken off a list.')
  await expectNoAccessibilityViolations(app)

  // "Match" also takes off Zoe, who left: said plainly, with what it means for sign-up forms.
  await membership.getByRole('radio', { name: /^Make each list match its group exactly/ }).check()
  await expect(membership).toContainText('people who joined the list another way, such as a sign-up form')
  await expect(app.getByTestId('movement-1')).toContainText(
    '1 contact on it isn’t in this file’s Using the app and is removed.',
  )
  await expect(app.getByTestId('movement-1')).toContainText('Zoe <zoe@month.example>')
  await expect(app.getByTestId('leaving-total')).toHaveText('3 contacts will be taken off a list.')
  await captureForReadme(app, 'upload-lists-match')

  // Nothing is taken off before the person confirms the numbers.
  await app.getByRole('button', { name: 'Start the upload' }).click()
  const confirm = app.getByTestId('confirm-removals')
  await expect(app.getByRole('dialog', { name: 'Take 3 contacts off the lists?' })).toBeVisible()
  await expect(confirm).toContainText(`“${lists['0']}”: 1 whose flag changed, 0 not in this file`)
  await expect(confirm).toContainText(`“${lists['1']}”: 1 whose flag changed, 1 not in this file`)
  await confirm.getByRole('button', { name: 'Go back' }).click()
  // Checked once the dialog has faded out (as the Send step's test does: axe reads a fading title as too faint).
  await expect(app.getByRole('dialog')).toHaveCount(0)
  await expectNoAccessibilityViolations(app)
  await app.getByRole('button', { name: 'Start the upload' }).click()
  await app.getByTestId('confirm-removals-button').click()

  const removals = app.getByTestId('removal-outcome')
  await expect(removals).toHaveAttribute('data-outcome', 'done', { timeout: 120_000 })
  await expect(removals).toContainText('The lists now match the file.')
  await expect(removals).toContainText(`“${lists['1']}”: 2 of 2 contacts taken off.`)
  await expectNoAccessibilityViolations(app)

  // The report: per list, moved out and removed.
  await app.getByRole('button', { name: 'See the report' }).click()
  await expect(app.getByTestId('report-group-0').getByTestId('moved-out')).toHaveText('1')
  await expect(app.getByTestId('report-group-1').getByTestId('moved-out')).toHaveText('1')
  await expect(app.getByTestId('report-group-1').getByTestId('removed')).toHaveText('1')
})

test('Send: customers on both lists block the send until they are moved, with the count and names', async ({ app }) => {
  test.setTimeout(240_000)
  const stamp = Date.now()
  const lists = { '0': `Both zero ${stamp}`, '1': `Both one ${stamp}` }
  await usePracticeAccount(app)
  await monthOneToNewLists(app, lists)

  // Month 2 with "Add only": Uma and Wes, whose flags flipped, end up on both lists.
  await monthTwoPlan(app, lists)
  const membership = app.getByTestId('list-membership')
  await expect(membership).toBeVisible({ timeout: 60_000 })
  await membership.getByRole('radio', { name: /^Add only/ }).check()
  await app.getByRole('button', { name: 'Start the upload' }).click()
  await app.getByRole('button', { name: 'Continue: send the messages' }).click({ timeout: 90_000 })
  await expect(app.getByRole('heading', { name: 'Send each group its message', level: 2 })).toBeVisible()

  await app.getByRole('combobox', { name: `Campaign for “${GROUP_0}”` }).click()
  await app.getByRole('option', { name: /Practice message X/ }).click()
  const group0 = app.getByTestId('send-group-0')
  const check = group0.getByTestId('check-one_list_each')
  await expect(check).toHaveAttribute('data-result', 'blocked', { timeout: 60_000 })
  await expect(check).toContainText(`2 contacts are on both “${lists['0']}” and “${lists['1']}”`)
  await expect(check).toContainText('uma@month.example')
  await expect(check).toContainText('wes@month.example')
  await expect(check).toContainText('never deletes or unsubscribes')
  await expect(group0.getByTestId('preflight-verdict')).not.toHaveText('Every check passed: this can be sent.')
  await expectNoAccessibilityViolations(app)

  // Moving them now takes each off the list of the group it isn't in; the check then passes.
  // It takes seconds (two exports, then the removals): a bar and words say how far it is. Every
  // step the words show is recorded as it shows (some last less than a poll of the test would).
  await app.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { moveSteps: string[] }).moveSteps = seen
    new MutationObserver(() => {
      const box = document.querySelector('[data-testid="move-now-progress"]')
      const words = box?.querySelector('[role="status"]')?.textContent ?? ''
      const bar = box?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') ?? ''
      if (words && seen.at(-1) !== `${bar}|${words}`) seen.push(`${bar}|${words}`)
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
  })
  await practiceAtPersonSpeed(app) // the test watches the move go by
  await group0.getByRole('button', { name: 'Move 2 contacts now' }).click()
  const moving = group0.getByTestId('move-now-progress')
  await expect(moving.getByRole('progressbar', { name: 'Moving the contacts on both lists' })).toBeVisible()
  await expect(moving.getByRole('status')).toContainText(
    /Step 1 of 3: Constant Contact is listing the members of both lists \(\d+ %\)/,
  )
  await expectNoAccessibilityViolations(app)
  await expect(check).toHaveAttribute('data-result', 'ok', { timeout: 120_000 })
  await expect(moving).toHaveCount(0)
  const steps = await app.evaluate(() => (window as unknown as { moveSteps: string[] }).moveSteps)
  const values = steps.map((s) => Number(s.split('|')[0]))
  expect(values).toEqual([...values].sort((a, b) => a - b)) // the bar only moves forward
  expect(steps.some((s) => s.includes('Step 1 of 3'))).toBe(true)
  expect(steps.some((s) => /Step 3 of 3: taking each contact off the list .* — \d of 2 done/.test(s))).toBe(true)
  await expect(check).toHaveText(
    new RegExp(
      `No contact is on both “${lists['0']}” and “${lists['1']}”\\. Moved before sending: 1 off “${lists['0']}”, 1 off “${lists['1']}”\\.`,
    ),
  )
  // Nothing stops the send any more (whether a check asks to be read depends on the campaign's past).
  await expect(group0.getByTestId('preflight-verdict')).not.toHaveText(/stops the send/)
})
