import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { E2E_RUN_DIR, E2E_TOKEN } from '../../playwright.config'
import { expect, expectNoAccessibilityViolations, test, usePracticeAccount } from './fixtures'
import { freePort, startBridge, stop } from './own-bridge'

test('the practice account can be reset from the Connect step, after saying what goes and what stays', async ({
  app,
}) => {
  await usePracticeAccount(app)

  await app.getByRole('button', { name: 'Reset the practice account…' }).click()
  const dialog = app.getByRole('dialog', { name: 'Reset the practice account?' })
  await expect(dialog).toContainText('the two practice messages drafts again')
  await expect(dialog).toContainText('Your jobs and their reports stay')
  await expectNoAccessibilityViolations(app)
  await dialog.getByRole('button', { name: 'Keep it as it is' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(app.getByTestId('practice-reset')).toHaveCount(0)

  await app.getByRole('button', { name: 'Reset the practice account…' }).click()
  await dialog.getByRole('button', { name: 'Reset the practice account' }).click()
  await expect(app.getByTestId('practice-reset')).toContainText('as it was at the start')
  await expect(app.getByTestId('connected-account')).toContainText('Connected to')
  await expectNoAccessibilityViolations(app)
})

test('a practice account whose saved data is damaged starts again as new, and the Connect step says why', async ({
  page,
}) => {
  // A bridge of its own, on a practice account's folder damaged before it starts, with a keychain
  // of its own: it opens on Connect with nothing connected, whatever this worker's tests did before.
  const dataDir = join(E2E_RUN_DIR, `damaged-practice-${Date.now()}`)
  const practiceDir = join(dataDir, 'practice-account')
  mkdirSync(practiceDir, { recursive: true })
  writeFileSync(join(practiceDir, 'cc-simulator-state.jsonl'), '{"not": "a practice account"}\n')
  const port = await freePort()
  const bridge = await startBridge(dataDir, port, { ownKeychain: true })
  try {
    await page.goto(`http://127.0.0.1:${port}/#token=${E2E_TOKEN}`)
    await page.getByRole('button', { name: 'Use the practice account' }).click()
    await expect(page.getByTestId('connected-account')).toContainText('Connected to')
    const notice = page.getByTestId('practice-notice')
    await expect(notice).toContainText('The practice account’s saved state is damaged')
    await expect(notice).toContainText('set aside (as cc-simulator-state.damaged in its folder)')
    await expect(notice).toContainText('starts again as new')
    expect(readdirSync(practiceDir)).toContain('cc-simulator-state.damaged')
    await expectNoAccessibilityViolations(page)
  } finally {
    await stop(bridge)
  }
})
