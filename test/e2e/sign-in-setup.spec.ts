import { execFileSync } from 'node:child_process'
import type { Page } from '@playwright/test'
import { expect, expectNoAccessibilityViolations, openWatched, test, type Failure } from './fixtures'

const connectStep = (page: Page) => page.getByRole('button', { name: /Connect.*Your Constant Contact account/ }).first()

/** The Connect step with no account connected and Splitsend's API key saved, whatever an earlier test left. */
async function readyToConnect(page: Page) {
  await connectStep(page).click()
  const disconnect = page.getByRole('button', { name: 'Disconnect' })
  const browser = page.getByRole('button', { name: 'Connect in your browser', exact: true })
  const key = page.getByLabel('Splitsend’s API key')
  await expect(disconnect.or(browser).or(key)).toBeVisible()
  if (await disconnect.isVisible()) await disconnect.click()
  await expect(browser.or(key)).toBeVisible()
  if (await key.isVisible()) {
    await key.fill('e2e-portal-app')
    await page.getByRole('button', { name: 'Save the API key' }).click()
  }
  await expect(browser).toBeVisible()
}

function keychainEntry(name: string): string | null {
  try {
    return (
      execFileSync('secret-tool', ['lookup', 'service', 'Splitsend', 'username', name], { encoding: 'utf8' }) || null
    )
  } catch {
    return null
  }
}

test('the Connect step shows exactly which redirect address to register, and it can be changed', async ({ app }) => {
  await readyToConnect(app)
  const setting = app.getByTestId('redirect-address')
  await expect(setting).toContainText('must be exactly http://localhost:47611/callback')

  await setting.getByRole('button', { name: 'Change the redirect address' }).click()
  await setting.getByRole('radio', { name: '127.0.0.1' }).check()
  const port = setting.getByRole('textbox', { name: 'Port' })
  await port.fill('80')
  await expect(setting.getByText('Enter a port number from 1024 to 65535.')).toBeVisible()
  await expect(setting.getByRole('button', { name: 'Save the redirect address' })).toBeDisabled()
  await port.fill('50123')
  await expect(setting).toContainText('Splitsend will use http://127.0.0.1:50123/callback')
  await expectNoAccessibilityViolations(app)
  await setting.getByRole('button', { name: 'Save the redirect address' }).click()
  await expect(setting).toContainText('must be exactly http://127.0.0.1:50123/callback')
  expect(JSON.parse(keychainEntry('constant-contact/real/redirect') ?? 'null')).toEqual({
    host: '127.0.0.1',
    port: 50123,
  })

  // Kept: the app shows it again after a restart (and `splitsend login` uses it too).
  await app.reload()
  await connectStep(app).click()
  await expect(app.getByTestId('redirect-address')).toContainText('must be exactly http://127.0.0.1:50123/callback')

  // Back to the default for the tests after this one.
  await app.getByRole('button', { name: 'Change the redirect address' }).click()
  await app.getByRole('radio', { name: 'localhost' }).check()
  await app.getByRole('textbox', { name: 'Port' }).fill('47611')
  await app.getByRole('button', { name: 'Save the redirect address' }).click()
  await expect(app.getByTestId('redirect-address')).toContainText('must be exactly http://localhost:47611/callback')
})

test('an application set up for the other sign-in flow: the Connect step says so and offers the other way', async ({
  page,
}) => {
  const failing: Record<string, Failure> = {
    'account.connect': {
      code: 'cc_app_set_up_for_device',
      message:
        'This Constant Contact application is set up for signing in with a code, so signing in in the browser can’t work with it.',
      hint: 'Sign in with a code instead.',
    },
  }
  const bridge = await openWatched(page, failing)
  await readyToConnect(page)
  await page.getByRole('button', { name: 'Connect in your browser', exact: true }).click()
  await expect(page.getByRole('alert')).toContainText('set up for signing in with a code')
  await expectNoAccessibilityViolations(page)

  failing['account.connect'] = {
    code: 'cc_app_set_up_for_browser',
    message:
      'This Constant Contact application is set up for signing in in the browser, so signing in with a code can’t work with it.',
    hint: 'Connect in your browser instead.',
  }
  await page.getByRole('button', { name: 'Sign in with a code instead' }).click()
  await expect(page.getByRole('alert')).toContainText('set up for signing in in the browser')
  await page.getByRole('button', { name: 'Connect in your browser instead' }).click()
  await expect.poll(() => bridge.count('account.connect')).toBe(3)
  expect(bridge.inputs('account.connect')).toEqual([
    { mode: 'browser', practice: false },
    { mode: 'device', practice: false },
    { mode: 'browser', practice: false },
  ])
})

test('when Constant Contact ends the sign-in, the app goes to Connect, says why, and comes back after connecting', async ({
  page,
}) => {
  const bridge = await openWatched(page)
  await connectStep(page).click()
  const practice = page.getByRole('button', { name: 'Use the practice account' })
  const disconnect = page.getByRole('button', { name: 'Disconnect' })
  await expect(practice.or(disconnect)).toBeVisible()
  if (await practice.isVisible()) await practice.click()
  await page.getByRole('button', { name: 'Continue to Import' }).click()
  await expect(page.getByRole('heading', { name: 'Open the spreadsheet', level: 2 })).toBeVisible()

  // Main tells the page the refresh token was refused (the account removed Splitsend's access).
  bridge.push('account.changed', {
    connected: false,
    practice: true,
    endpoint: 'practice',
    accountName: 'Practice account',
    needsReconnect: true,
  })
  await expect(page.getByRole('heading', { name: 'Your Constant Contact account', level: 2 })).toBeVisible()
  const ended = page.getByTestId('sign-in-ended')
  await expect(ended).toContainText('Constant Contact no longer accepts Splitsend’s sign-in.')
  await expect(ended).toContainText('stopped safely and goes on where it stopped')
  await expect(page.getByTestId('account-badge')).toHaveText('Sign-in ended: connect again')
  await expectNoAccessibilityViolations(page)

  await practice.click()
  await expect(page.getByRole('heading', { name: 'Open the spreadsheet', level: 2 })).toBeVisible()
  await expect(page.getByTestId('account-badge')).toHaveText('Practice account (not real)')
})
