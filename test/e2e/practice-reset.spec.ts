import { expect, expectNoAccessibilityViolations, test, usePracticeAccount } from './fixtures'

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
