import type { Page } from '@playwright/test'
import { E2E_TOKEN } from '../../playwright.config'
import { dropFile, expect, expectNoAccessibilityViolations, openWatched, test, type Failure } from './fixtures'

const DROPZONE = '.mantine-Dropzone-root'
const CUSTOMERS = ['Email,Uses app', 'ann@example.com,1', 'bob@example.com,0'].join('\n')

const badge = (page: Page) => page.getByTestId('account-badge')
const connectHeading = (page: Page) => page.getByRole('heading', { name: 'Your Constant Contact account', level: 2 })

/** Starts from no account connected, whatever an earlier test left. */
async function disconnected(page: Page) {
  await page.goto(`/#token=${E2E_TOKEN}`)
  await expect(badge(page)).toBeVisible()
  if ((await badge(page).textContent()) !== 'Not connected to Constant Contact') {
    await badge(page).click()
    await page.getByRole('button', { name: 'Disconnect' }).click()
    await expect(badge(page)).toHaveText('Not connected to Constant Contact')
  }
}

/** Drops a small file and goes through Map and Review to Upload. */
async function prepareAndOpenUpload(page: Page) {
  await page
    .getByRole('button', { name: /Import.*Open the spreadsheet/ })
    .first()
    .click()
  await dropFile(page, DROPZONE, { name: 'customers.csv', mimeType: 'text/csv', content: CUSTOMERS })
  await expect(page.getByTestId('row-count')).toHaveText('2 rows')
  await page.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await page.getByRole('button', { name: 'Continue: review the groups' }).click()
  await expect(page.getByTestId('identity')).toHaveText(
    '2 rows: 1 in “Uses app: no” + 1 in “Uses app: yes” + 0 problems.',
  )
  await page.getByRole('button', { name: 'Continue: upload the groups' }).click()
  await expect(page.getByRole('heading', { name: 'Upload the groups to Constant Contact', level: 2 })).toBeVisible()
}

test('the account is read once and shown everywhere; connecting and disconnecting change it everywhere at once', async ({
  page,
}) => {
  await disconnected(page)
  const bridge = await openWatched(page)
  await expect(connectHeading(page)).toBeVisible()
  await expect(badge(page)).toHaveText('Not connected to Constant Contact')
  expect(bridge.count('account.status'), 'one request for the header and the Connect step').toBe(1)

  // Connecting: the header and the Connect step name the account from the one answer.
  await page.getByRole('button', { name: 'Use the practice account' }).click()
  await expect(page.getByTestId('connected-account')).toContainText('Practice account')
  await expect(badge(page)).toHaveText('Practice account (not real)')

  // The Upload step shows the same account without asking again.
  await page.getByRole('button', { name: 'Continue to Import' }).click()
  await prepareAndOpenUpload(page)
  await expect(page.getByTestId('upload-account')).toContainText('Practice account')

  // Disconnecting: the header and the Upload step say so at once.
  await badge(page).click()
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(badge(page)).toHaveText('Not connected to Constant Contact')
  await page
    .getByRole('button', { name: /Upload.*Put each group on its list/ })
    .first()
    .click()
  await expect(page.getByText('Connect your Constant Contact account first').first()).toBeVisible()
  expect(bridge.count('account.status'), 'still the one request from the start').toBe(1)
})

test('a failed request shows its plain message and hint; "Try again" asks again', async ({ page }) => {
  await disconnected(page)
  const failing: Record<string, Failure> = {
    'account.status': {
      code: 'keychain_unavailable',
      message: 'Splitsend can’t reach this computer’s password store.',
      hint: 'Unlock the password store, then try again.',
    },
  }
  const bridge = await openWatched(page, failing)

  // A failed read: what is wrong, what to do, and a way to ask again.
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('Splitsend can’t reach this computer’s password store.')
  await expect(alert).toContainText('Unlock the password store, then try again.')
  await expectNoAccessibilityViolations(page)
  delete failing['account.status']
  await page.getByRole('button', { name: 'Try again' }).click()
  await expect(alert).toHaveCount(0)
  await expect(badge(page)).toHaveText('Not connected to Constant Contact')
  expect(bridge.count('account.status')).toBe(2)

  // A failed action: the same alert, which the person can put away.
  failing['account.connect'] = {
    code: 'cc_unreachable',
    message: 'Constant Contact is not answering.',
    hint: 'Check the internet connection and try again.',
  }
  await page.getByRole('button', { name: 'Use the practice account' }).click()
  await expect(alert).toContainText('Constant Contact is not answering.')
  await expect(alert).toContainText('Check the internet connection and try again.')
  await page.getByRole('button', { name: 'Dismiss' }).click()
  await expect(alert).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Use the practice account' })).toBeVisible()
})

test('a request that finds the sign-in ended has the account read again', async ({ page }) => {
  await disconnected(page)
  const failing: Record<string, Failure> = {}
  const bridge = await openWatched(page, failing)
  await page.getByRole('button', { name: 'Use the practice account' }).click()
  await expect(badge(page)).toHaveText('Practice account (not real)')
  await page.getByRole('button', { name: 'Continue to Import' }).click()
  failing['upload.lists'] = {
    code: 'cc_reconnect_needed',
    message: 'Your Constant Contact sign-in has ended.',
    hint: 'Connect again on the Connect step.',
  }
  await prepareAndOpenUpload(page)
  await expect(page.getByRole('alert')).toContainText('Your Constant Contact sign-in has ended.')
  await expect.poll(() => bridge.count('account.status')).toBe(2)
})
