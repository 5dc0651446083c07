import { execFileSync } from 'node:child_process'
import { E2E_TOKEN } from '../../playwright.config'
import { expect, expectNoAccessibilityViolations, test } from './fixtures'

/** The practice account's tokens as the real keychain holds them (the tests run in their own keychain session). */
function practiceTokensInKeychain(): { access_token: string; refresh_token?: string } | null {
  try {
    const raw = execFileSync(
      'secret-tool',
      ['lookup', 'service', 'Splitsend', 'username', 'constant-contact/practice/tokens'],
      { encoding: 'utf8' },
    )
    return raw ? JSON.parse(raw) : null
  } catch {
    return null
  }
}

test('connect the practice account, see it named, and disconnect', async ({ app }) => {
  await app
    .getByRole('button', { name: /Connect.*Your Constant Contact account/ })
    .first()
    .click()
  await expect(app.getByRole('heading', { name: 'Your Constant Contact account', level: 2 })).toBeVisible()
  await expectNoAccessibilityViolations(app)

  await app.getByRole('button', { name: 'Use the practice account' }).click()
  await expect(app.getByTestId('connected-account')).toContainText('Practice account')
  await expect(app.getByText('Practice account', { exact: true })).toBeVisible()
  await expectNoAccessibilityViolations(app)

  // The sign-in lives in the OS keychain and nowhere the page can see.
  const tokens = practiceTokensInKeychain()
  expect(tokens?.access_token).toBeTruthy()
  const visibleToPage = await app.evaluate(() =>
    JSON.stringify({
      html: document.documentElement.outerHTML,
      local: { ...localStorage },
      session: { ...sessionStorage },
    }),
  )
  expect(visibleToPage).not.toContain(tokens!.access_token)
  if (tokens!.refresh_token) expect(visibleToPage).not.toContain(tokens!.refresh_token)

  await app.getByRole('button', { name: 'Disconnect' }).click()
  await expect(app.getByRole('button', { name: 'Use the practice account' })).toBeVisible()
  expect(practiceTokensInKeychain()).toBeNull()
})

test('a real account asks for the API key first, and keeps it out of the page', async ({ app }) => {
  await app
    .getByRole('button', { name: /Connect.*Your Constant Contact account/ })
    .first()
    .click()
  const key = app.getByLabel('Splitsend’s API key')
  await key.fill('test-client-id-1234')
  await app.getByRole('button', { name: 'Save the API key' }).click()
  // Saving is confirmed, naming the key by its last characters only.
  await expect(app.getByTestId('api-key-saved')).toContainText('Splitsend will use the key ending in “1234”')
  await expect(app.getByTestId('api-key-status')).toHaveText('API key: •••• 1234')
  await expect(app.getByRole('button', { name: 'Connect in your browser' })).toBeVisible()
  await expect(app.getByRole('button', { name: 'Use a code instead' })).toBeVisible()
  const stored = () =>
    execFileSync('secret-tool', ['lookup', 'service', 'Splitsend', 'username', 'constant-contact/real/client-id'], {
      encoding: 'utf8',
    })
  expect(stored()).toBe('test-client-id-1234')
  expect(await app.evaluate(() => document.documentElement.outerHTML)).not.toContain('test-client-id-1234')

  // It can be changed (or kept after all).
  await app.getByRole('button', { name: 'Change the API key' }).click()
  await app.getByRole('button', { name: 'Keep the saved key' }).click()
  await expect(app.getByTestId('api-key-status')).toHaveText('API key: •••• 1234')
  await app.getByRole('button', { name: 'Change the API key' }).click()
  await app.getByLabel('Splitsend’s API key').fill('another-client-id-9876')
  await app.getByRole('button', { name: 'Save the API key' }).click()
  await expect(app.getByTestId('api-key-status')).toHaveText('API key: •••• 9876')
  expect(stored()).toBe('another-client-id-9876')
  await expectNoAccessibilityViolations(app)
})

test('with no account connected, the app opens on Connect and names the account in its header', async ({ page }) => {
  await page.goto(`/#token=${E2E_TOKEN}`)
  await expect(page.getByRole('heading', { name: 'Your Constant Contact account', level: 2 })).toBeVisible()
  await expect(page.getByTestId('account-badge')).toHaveText('Not connected to Constant Contact')
  await page.getByRole('button', { name: 'Use the practice account' }).click()
  await expect(page.getByTestId('account-badge')).toHaveText('Practice account (not real)')
  await expectNoAccessibilityViolations(page)
  // Connected, the next start opens on the list of jobs.
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Your jobs', level: 2 })).toBeVisible()
  await page.getByTestId('account-badge').click()
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(page.getByTestId('account-badge')).toHaveText('Not connected to Constant Contact')
})
