import { dropFile, expect, expectNoAccessibilityViolations, test } from './fixtures'

const CONTACTS =
  '\uFEFFEmail;Uses the app;First name\nann@example.com;1;Ann\nbob@example.com;0;"Bob\nJr"\n\ncat@example.com;1;Cat\n'
const DROPZONE = '.mantine-Dropzone-root'

test('a dropped CSV shows its columns and row count', async ({ app }) => {
  await dropFile(app, DROPZONE, { name: 'contacts.csv', mimeType: 'text/csv', content: CONTACTS })
  await expect(app.getByTestId('row-count')).toHaveText('3 rows')
  await expect(app.getByTestId('column-name')).toHaveText(['Email', 'Uses the app', 'First name'])
  await expect(app.getByText('separated by semicolons')).toBeVisible()
  await expectNoAccessibilityViolations(app)
})

test('a wide file’s first rows scroll sideways with the keyboard too', async ({ app }) => {
  const header = ['Email', 'Flag', ...Array.from({ length: 28 }, (_, i) => `Field ${i + 1}`)]
  const row = ['ann@example.com', '1', ...header.slice(2).map((name) => `${name} of Ann`)]
  await dropFile(app, DROPZONE, { name: 'wide.csv', mimeType: 'text/csv', content: `${header}\n${row}\n` })
  await expect(app.getByTestId('row-count')).toHaveText('1 row')
  const firstRows = app.getByRole('region', { name: 'First rows of the file' })
  await firstRows.focus()
  await expect(firstRows).toBeFocused()
  await app.keyboard.press('ArrowRight')
  await expect.poll(() => firstRows.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0)
  await expectNoAccessibilityViolations(app)
})

test('"Open a spreadsheet…" opens one through the file picker', async ({ app }) => {
  const [chooser] = await Promise.all([
    app.waitForEvent('filechooser'),
    app.getByRole('button', { name: 'Open a spreadsheet…' }).click(),
  ])
  await chooser.setFiles({
    name: 'march.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('email,flag\nx@example.com,0\n'),
  })
  await expect(app.getByRole('heading', { name: 'march.csv' })).toBeVisible()
  await expect(app.getByTestId('row-count')).toHaveText('1 row')
  await expect(app.getByTestId('column-name')).toHaveText(['email', 'flag'])
})

test('a file that is not a spreadsheet gets a clear message', async ({ app }) => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  await dropFile(app, DROPZONE, { name: 'logo.png', mimeType: 'image/png', content: png })
  const alert = app.getByRole('alert')
  // The person's own file name, what is wrong, and what to do instead.
  await expect(alert).toContainText(/[“"]logo\.png[”"] is an image, not a spreadsheet/)
  await expect(alert).toContainText('Choose the CSV or Excel (.xlsx) file')
  await expect(app.getByTestId('row-count')).toHaveCount(0)
  await expectNoAccessibilityViolations(app)
})

test('the first screen has no accessibility problems and works from the keyboard', async ({ app }) => {
  await expectNoAccessibilityViolations(app)
  await app.keyboard.press('Tab')
  const focusable = app.getByRole('button', { name: 'Open a spreadsheet…' })
  for (let i = 0; i < 20 && !(await focusable.evaluate((el) => el === document.activeElement)); i++)
    await app.keyboard.press('Tab')
  await expect(focusable).toBeFocused()
})

test('a file with column names and no rows stops at Import: it has no contacts', async ({ app }) => {
  await dropFile(app, DROPZONE, { name: 'empty.csv', mimeType: 'text/csv', content: 'Email,Uses app,Name\n' })
  await expect(app.getByRole('heading', { name: 'empty.csv' })).toBeVisible()
  await expect(app.getByRole('alert')).toHaveCount(1)
  await expect(app.getByRole('alert')).toContainText('“empty.csv” has no contacts')
  await expect(app.getByRole('button', { name: 'Continue: choose the columns' })).toHaveCount(0)
  await expectNoAccessibilityViolations(app)
})
