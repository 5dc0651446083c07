import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import WebSocket from 'ws'
import { readStateFile } from '../../electron/services/cc-simulator/state-file'
import { E2E_DATA_DIR, E2E_PORT, E2E_TOKEN } from '../../playwright.config'
import {
  CAMPAIGN_X,
  CAMPAIGN_Y,
  captureForReadme,
  expect,
  expectNoAccessibilityViolations,
  newestJobId,
  prepareCustomers,
  test,
} from './fixtures'

/** Reading a list's members (an export) takes the practice account about ten seconds. */
const LISTS_READ_MS = 30_000

/**
 * Calls the contract the way the page does, over the web bridge's WebSocket (the web build puts no
 * bridge on `window`). Used for the upload only, while the Upload screen is not there yet.
 */
async function callContract<T>(request: string, input: unknown): Promise<T> {
  const origin = `http://127.0.0.1:${E2E_PORT}`
  const socket = new WebSocket(`ws://127.0.0.1:${E2E_PORT}/bridge?token=${encodeURIComponent(E2E_TOKEN)}`, { origin })
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    const answer = new Promise<{ ok: boolean; value?: T; error?: { message: string } }>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as {
          id?: number
          envelope?: { ok: boolean; value?: T; error?: { message: string } }
        }
        if (message.id === 1 && message.envelope) resolve(message.envelope)
      })
    })
    socket.send(JSON.stringify({ id: 1, request, input }))
    const envelope = await answer
    if (!envelope.ok) throw new Error(`${request} failed: ${envelope.error?.message}`)
    return envelope.value as T
  } finally {
    socket.close()
  }
}

/** Uploads both groups through the Upload screen, each to a new list, and goes on to Send. */
async function uploadBothGroups(app: Page, list0 = 'E2E not using the app'): Promise<void> {
  await app.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await expect(app.getByRole('heading', { name: 'Upload the groups to Constant Contact', level: 2 })).toBeVisible()
  // (A second upload of these columns starts from the first one's lists: new ones are chosen here.)
  for (const group of ['0', '1'])
    await app.getByTestId(`group-choice-${group}`).getByRole('radio', { name: 'A new list' }).check()
  await app.getByRole('textbox', { name: 'Name of the new list for “Not using the app”' }).fill(list0)
  await app.getByRole('textbox', { name: 'Name of the new list for “App users”' }).fill('E2E app users')
  await app.getByRole('button', { name: 'Check the plan' }).click()
  await app.getByRole('button', { name: 'Start the upload' }).click()
  await app.getByRole('button', { name: 'Continue: send the messages' }).click({ timeout: 90_000 })
  await expect(app.getByRole('heading', { name: 'Send each group its message', level: 2 })).toBeVisible()
}

/** What the practice account's own record says was sent, per campaign name (only those named, when names are given). */
function practiceSends(...names: string[]): Record<string, number> {
  const data = readStateFile(join(E2E_DATA_DIR, 'practice-account'))!.data
  const sends: Record<string, number> = {}
  for (const campaign of data.campaigns) {
    if (names.length && !names.includes(campaign.name)) continue
    const primary = campaign.activity_ids.find((a) => a.role === 'primary_email')
    sends[campaign.name] =
      data.campaign_activities.find((a) => a.campaign_activity_id === primary?.campaign_activity_id)?.send_history
        .length ?? 0
  }
  return sends
}

/** Every campaign name in the practice account. */
function practiceCampaignNames(): string[] {
  return readStateFile(join(E2E_DATA_DIR, 'practice-account'))!.data.campaigns.map((c) => c.name)
}

/** A date as a copy's name has it: YYYY-MM-DD in this computer's zone (the web bridge runs here too). */
function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function sendJournal(jobId: string): Array<{ type: string; group: string }> {
  return readFileSync(join(E2E_DATA_DIR, 'jobs', jobId, 'send-journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; group: string })
}

async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label }).click()
  await page.getByRole('option', { name: option }).click()
}

/** A list name longer than the dialog is wide. */
const LONG_LIST = 'E2E not using the app: everyone who hasn’t opened the app once this quarter, from the monthly feed'

/** Whether any part of an element (or of its children) is cut off by its box. */
function isClipped(element: Element): boolean {
  return [element, ...element.querySelectorAll('*')].some(
    (e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible',
  )
}

const sendHeading = (app: Page) => app.getByRole('heading', { name: 'Send each group its message', level: 2 })

test('both groups get their own campaign: previewed, tested, sent once, and shown as sent', async ({ app }) => {
  test.setTimeout(180_000)
  await prepareCustomers(app)
  const jobId = newestJobId()

  await uploadBothGroups(app)

  const group0 = app.getByTestId('send-group-0')
  const group1 = app.getByTestId('send-group-1')
  await expect(
    group0.getByRole('heading', { name: '“Not using the app” → list “E2E not using the app”' }),
  ).toBeVisible()
  await expect(group0).toContainText('The upload added 3 contacts to this list.')
  await expect(group1).toContainText('The upload added 2 contacts to this list.')

  // The picker: newest first, every campaign with its status, and, last, "don't send"; deleted ones are left out.
  await app.getByRole('combobox', { name: 'Campaign for “Not using the app”' }).click()
  await expect(app.getByRole('option').last()).toHaveText('Don’t send to this group')
  await expect(app.getByRole('option', { name: new RegExp(CAMPAIGN_X) })).toContainText('Draft')
  await expect(app.getByRole('option', { name: /April offer/ })).toContainText('Sent before')
  await expect(app.getByRole('option', { name: /being sent/ })).toContainText('Can’t be chosen')
  await expect(app.getByRole('option', { name: /deleted/ })).toHaveCount(0)
  await app.keyboard.press('Escape')
  // Searching by name.
  await app.getByRole('combobox', { name: 'Campaign for “Not using the app”' }).fill('spring')
  await expect(app.getByRole('option')).toHaveCount(1)
  await app.getByRole('option', { name: new RegExp(CAMPAIGN_X) }).click()
  await expect(app.getByRole('combobox', { name: 'Campaign for “Not using the app”' })).toHaveValue(CAMPAIGN_X)

  // Subject, sender and a sandboxed preview that loads nothing from the network.
  await expect(group0.getByTestId('campaign-subject')).toHaveText('Our spring update')
  await expect(group0.getByTestId('campaign-from')).toContainText('@practice.example>')
  const preview = group0.getByTestId('campaign-preview')
  await expect(preview).toHaveAttribute('sandbox', '')
  await expect(preview).toHaveAttribute('title', 'Preview of the email “Our spring update”')
  expect(await preview.getAttribute('srcdoc')).toContain(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
  )
  await expect(
    app.frameLocator('[data-testid="send-group-0"] iframe').getByText('Here is what is new this spring.'),
  ).toBeVisible()

  // The checks, in plain words: all pass for the practice campaign and the freshly uploaded list.
  // "Nobody is on both lists" reads both lists again after the upload changed them: an export
  // takes the practice account about ten seconds.
  await expect(group0.getByTestId('preflight-verdict')).toHaveText('Every check passed: this can be sent.', {
    timeout: LISTS_READ_MS,
  })
  await expect(group0.getByTestId('check-upload_finished')).toContainText(
    'The upload finished and added 3 contacts to “E2E not using the app”.',
  )
  await expect(group0.getByTestId('check-recipient_list')).toContainText(
    'It will go to the list “E2E not using the app”',
  )
  await expect(group0.getByTestId('check-confirmed_senders')).toHaveAttribute('data-result', 'ok')

  // Until every uploaded group has a campaign (or is skipped), Send stays off and says why.
  await expect(app.getByRole('button', { name: 'Send…' })).toBeDisabled()
  await expect(app.getByTestId('send-blockers')).toContainText(
    'Choose a campaign for “App users”, or choose not to send to it.',
  )

  // The same campaign for both groups is refused in plain words.
  await choose(app, 'Campaign for “App users”', new RegExp(CAMPAIGN_X))
  await expect(app.getByTestId('send-blockers')).toContainText('The same campaign is chosen for both groups.')
  await choose(app, 'Campaign for “App users”', new RegExp(CAMPAIGN_Y))
  await expect(group1.getByTestId('campaign-subject')).toHaveText('Welcome aboard')
  await expect(group1.getByTestId('preflight-verdict')).toHaveText('Every check passed: this can be sent.')
  await expectNoAccessibilityViolations(app)
  await captureForReadme(app, 'send-choose')

  // A test send: too many addresses are refused, then a test goes to two.
  const testAddresses = group0.getByRole('textbox', { name: 'Send a test to' })
  await testAddresses.fill('a@example.com, b@example.com, c@example.com, d@example.com, e@example.com, f@example.com')
  await group0.getByRole('button', { name: 'Send a test' }).click()
  await expect(group0.getByRole('alert')).toContainText(
    'A test can go to at most 5 addresses at a time; you entered 6.',
  )
  await testAddresses.fill('me@example.com, boss@example.com')
  await group0.getByRole('button', { name: 'Send a test' }).click()
  await expect(group0.getByTestId('test-sent')).toContainText(
    `A test of “${CAMPAIGN_X}” went to me@example.com, boss@example.com`,
  )
  expect(practiceSends(CAMPAIGN_X, CAMPAIGN_Y), 'a test is not a send').toEqual({ [CAMPAIGN_X]: 0, [CAMPAIGN_Y]: 0 })

  // The time zone is shown when scheduling; a past time is refused.
  await app.getByRole('radio', { name: 'Schedule for a date and time' }).check()
  await expect(app.getByText(/In your time zone: .+\. Constant Contact gets it in UTC\./)).toBeVisible()
  await app.getByLabel('Date and time to send').fill('2020-01-01T09:30')
  await expect(app.getByRole('button', { name: 'Schedule…' })).toBeDisabled()
  await expect(app.getByTestId('send-blockers')).toContainText('Choose a time at least a few minutes from now')
  await app.getByRole('radio', { name: 'Send now' }).check()

  // The confirmation names each campaign, its list and the contacts; each send needs its own click.
  await app.getByRole('button', { name: 'Send…' }).click()
  const dialog = app.getByRole('dialog', { name: 'Send for real?' })
  await expect(dialog.getByTestId('confirm-send-0')).toContainText(
    `“${CAMPAIGN_X}” to the list “E2E not using the app”`,
  )
  await expect(dialog.getByTestId('confirm-send-0')).toContainText('Group “Not using the app”: 3 contacts on the list.')
  await expect(dialog.getByTestId('confirm-send-1')).toContainText(`“${CAMPAIGN_Y}” to the list “E2E app users”`)
  await expect(dialog.getByTestId('confirm-send-1')).toContainText('2 contacts on the list.')
  await expectNoAccessibilityViolations(app)

  // A double click sends once.
  await dialog.getByRole('button', { name: `Send “${CAMPAIGN_X}” to “E2E not using the app”` }).dblclick()
  await expect(dialog.getByTestId('confirm-send-0').getByTestId('confirm-result')).toContainText(
    `“${CAMPAIGN_X}” was sent to the list “E2E not using the app”`,
    { timeout: 20_000 },
  )
  await expect(dialog.getByTestId('confirm-send-1').getByRole('button')).toBeEnabled()
  // With the keyboard: the focus stays in the dialog, on this send, while it goes out and after.
  await dialog.getByTestId('confirm-send-1').getByRole('button').press('Enter')
  await expect(dialog.getByTestId('confirm-send-1')).toBeFocused()
  await expect(dialog.getByTestId('confirm-send-1').getByTestId('confirm-result')).toContainText(
    `“${CAMPAIGN_Y}” was sent to the list “E2E app users”`,
    { timeout: 20_000 },
  )
  await expect(dialog.getByTestId('confirm-send-1')).toBeFocused()
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()

  // The screen shows each group as sent, with Constant Contact's confirmation.
  await expect(app.getByTestId('send-state-0')).toHaveAttribute('data-phase', 'sent')
  await expect(app.getByTestId('send-state-0').getByTestId('send-confirmation')).toContainText(
    /send number \d+, to 3 contacts/,
  )
  await expect(app.getByTestId('send-state-1').getByTestId('send-confirmation')).toContainText(/to 2 contacts/)
  await expect(app.getByRole('button', { name: 'Send…' })).toHaveCount(0)
  await expectNoAccessibilityViolations(app)
  await captureForReadme(app, 'send-done')

  // Exactly once: Constant Contact's own record and the job's journal have one send per group.
  await expect.poll(() => practiceSends(CAMPAIGN_X, CAMPAIGN_Y)).toEqual({ [CAMPAIGN_X]: 1, [CAMPAIGN_Y]: 1 })
  const intents = sendJournal(jobId).filter((e) => e.type === 'intent')
  expect(intents.map((e) => e.group).sort()).toEqual(['0', '1'])
  // Asking again (a second window, a stale page) sends nothing more.
  const again = await callContract<{ alreadyDone: boolean }>('send.send', {
    jobId,
    group: '0',
    campaignId: await campaignIdOf(jobId, '0'),
    when: 'now',
  })
  expect(again.alreadyDone).toBe(true)
  await expect.poll(() => practiceSends(CAMPAIGN_X, CAMPAIGN_Y)).toEqual({ [CAMPAIGN_X]: 1, [CAMPAIGN_Y]: 1 })

  // The report has a section for the sends.
  await app.getByRole('button', { name: 'Continue: the report' }).click()
  await expect(app.getByRole('heading', { name: 'Report', level: 2 })).toBeFocused()
  await expect(app.getByRole('heading', { name: 'Sends' })).toBeVisible()
  await expect(app.getByText(CAMPAIGN_X).first()).toBeVisible()
  await expect(app.getByText(CAMPAIGN_Y).first()).toBeVisible()

  // Coming back to the step later shows the same.
  await app.getByRole('button', { name: 'Back', exact: true }).click()
  await expect(sendHeading(app)).toBeVisible()
  await expect(app.getByTestId('send-state-0')).toHaveAttribute('data-phase', 'sent')
  await expect(app.getByTestId('send-state-1')).toHaveAttribute('data-phase', 'sent')

  // The dark theme has no accessibility problems either.
  await app.emulateMedia({ colorScheme: 'dark' })
  await expect(app.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark')
  await expectNoAccessibilityViolations(app)
})

test('a campaign sent before can’t be re-addressed: a dated copy of it is made once and sent', async ({ app }) => {
  test.setTimeout(180_000)
  await prepareCustomers(app)
  await uploadBothGroups(app, LONG_LIST)
  const APRIL = 'Practice: April offer (sent, custom code)'
  const copyName = `${APRIL} – ${localDate(new Date())}`
  const group0 = app.getByTestId('send-group-0')

  // Constant Contact won't change who a sent custom-code email goes to: the checks say so, and why.
  await choose(app, 'Campaign for “Not using the app”', new RegExp(escapeRegExp(APRIL)))
  // The checks read both lists (an export each) before they answer.
  await expect(group0.getByTestId('check-campaign_status')).toHaveAttribute('data-result', 'blocked', {
    timeout: LISTS_READ_MS,
  })
  await expect(group0.getByTestId('check-campaign_status')).toContainText(
    `“${APRIL}” can’t be sent to this group’s list as it is.`,
  )
  await expect(group0.getByTestId('check-campaign_status')).toContainText('What to do: Send a copy instead')
  // What a copy keeps and loses, before it is made.
  const offer = group0.getByRole('alert').filter({ hasText: 'Send a copy instead' })
  await expect(offer).toContainText('same subject, preheader, sender name')
  await expect(offer).toContainText('reports and send history start empty')
  await expectNoAccessibilityViolations(app)

  // A double press makes one copy; it is chosen for the group, and every check passes for it.
  await offer.getByRole('button', { name: 'Make a copy to send' }).dblclick()
  await expect(app.getByRole('combobox', { name: 'Campaign for “Not using the app”' })).toHaveValue(copyName)
  await expect(group0.getByTestId('preflight-verdict')).toHaveText('Every check passed: this can be sent.', {
    timeout: LISTS_READ_MS,
  })
  await expect.poll(() => practiceCampaignNames().filter((n) => n === copyName).length).toBe(1)

  await choose(app, 'Campaign for “App users”', /Don’t send to this group/)
  await app.getByRole('button', { name: 'Send…' }).click()
  const dialog = app.getByRole('dialog', { name: 'Send for real?' })
  // The button names the whole list, wrapping rather than cutting a long name off.
  const button = dialog.getByRole('button', { name: `Send “${copyName}” to “${LONG_LIST}”` })
  await expect(button).toBeVisible()
  expect(await button.evaluate(isClipped), 'the button’s words are all shown').toBe(false)
  await button.click()
  await expect(dialog.getByTestId('confirm-result')).toContainText(`“${copyName}” (a copy of “${APRIL}”) was sent`, {
    timeout: 20_000,
  })
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
  await expect(app.getByTestId('send-state-0')).toHaveAttribute('data-phase', 'sent')
  await expect(app.getByTestId('send-state-0')).toContainText(`(a copy of “${APRIL}”)`)
  // The copy went out once; the original is untouched.
  await expect.poll(() => practiceSends(copyName, APRIL)).toEqual({ [copyName]: 1, [APRIL]: 1 })
})

test.describe('in New York', () => {
  test.use({ timezoneId: 'America/New_York', locale: 'en-US' })

  test('a scheduled send shows its time in the person’s zone and can be cancelled', async ({ app }) => {
    test.setTimeout(180_000)
    await prepareCustomers(app)
    const jobId = newestJobId()
    await uploadBothGroups(app)

    await choose(app, 'Campaign for “Not using the app”', /Don’t send to this group/)
    await expect(app.getByTestId('send-group-0')).toContainText('Nothing will be sent to “Not using the app”.')
    await choose(app, 'Campaign for “App users”', new RegExp(CAMPAIGN_Y))
    // Checks that ask to be read are never summed up as "every check passed".
    // (Whether any does depends on what the practice campaign went through before this test.)
    const group1 = app.getByTestId('send-group-1')
    const verdict = group1.getByTestId('preflight-verdict')
    await expect(verdict).toBeVisible({ timeout: LISTS_READ_MS })
    const notes = await group1.locator('[data-result="note"]').count()
    await expect(verdict).toHaveText(
      notes === 0
        ? 'Every check passed: this can be sent.'
        : /^Nothing stops the send, but (one check asks you to read it|\d checks ask you to read them) first\.$/,
    )

    const sendsBefore = practiceSends()
    await app.getByRole('radio', { name: 'Schedule for a date and time' }).check()
    await expect(app.getByText(/In your time zone: .*\(America\/New_York\)/)).toBeVisible()
    await app.getByLabel('Date and time to send').fill('2099-06-01T09:30')
    await app.getByRole('button', { name: 'Schedule…' }).click()
    const dialog = app.getByRole('dialog', { name: 'Send for real?' })
    await expect(dialog.getByTestId('confirm-send-0')).toHaveCount(0)
    await dialog.getByRole('button', { name: `Schedule “${CAMPAIGN_Y}” to “E2E app users”` }).click()
    await expect(dialog.getByTestId('confirm-result')).toContainText(
      'is scheduled to go to the list “E2E app users” on Jun 1, 2099, 9:30 AM EDT',
    )
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(dialog).toBeHidden()

    const state = app.getByTestId('send-state-1')
    await expect(state).toHaveAttribute('data-phase', 'scheduled')
    await expect(state).toContainText('on Jun 1, 2099, 9:30 AM EDT')
    // 9:30 in New York in June is 13:30 UTC, which is what Constant Contact was given.
    const journal = sendJournal(jobId) as Array<{ type: string; when?: string }>
    expect(journal.find((e) => e.type === 'intent')?.when).toBe('2099-06-01T13:30:00.000Z')
    await expectNoAccessibilityViolations(app)

    await state.getByRole('button', { name: 'Cancel scheduled send' }).click()
    await expect(app.getByTestId('send-group-1')).toContainText(`The scheduled send of “${CAMPAIGN_Y}” was cancelled.`)
    await expect(app.getByRole('combobox', { name: 'Campaign for “App users”' })).toBeVisible()
    expect(practiceSends(), 'nothing went out').toEqual(sendsBefore)

    // Without a connected account the step says so, and leads to Connect.
    await app
      .getByRole('button', { name: /Connect.*Your Constant Contact account/ })
      .first()
      .click()
    await app.getByRole('button', { name: 'Disconnect' }).click()
    await expect(app.getByRole('button', { name: 'Use the practice account' })).toBeVisible()
    await app
      .getByRole('button', { name: /Send.*Send each group its message/ })
      .first()
      .click()
    await expect(app.getByTestId('send-gate')).toContainText('Connect your Constant Contact account first')
    await expectNoAccessibilityViolations(app)
    await app.getByRole('button', { name: 'Connect your account' }).click()
    await expect(app.getByRole('heading', { name: 'Your Constant Contact account', level: 2 })).toBeVisible()
  })
})

/** The campaign the journal says group `group` was sent. */
async function campaignIdOf(jobId: string, group: string): Promise<string> {
  const entry = (sendJournal(jobId) as Array<{ type: string; group: string; campaignId?: string }>).find(
    (e) => e.type === 'intent' && e.group === group,
  )
  if (!entry?.campaignId) throw new Error('no send recorded')
  return entry.campaignId
}
