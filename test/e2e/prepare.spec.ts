import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import yazl from 'yazl'
import { E2E_DATA_DIR } from '../../playwright.config'
import { dropFile, expect, expectNoAccessibilityViolations, newestJobId, test } from './fixtures'

const DROPZONE = '.mantine-Dropzone-root'

// "Member" (yes/no) is the column Splitsend suggests as the flag; "App" (1/0, with three rows
// marked "pending") is the one that really says who uses the app.
const CUSTOMERS = [
  'Email,App,Member,First name',
  'ann@example.com,1,yes,Ann',
  'bob@example.com,0,no,Bob',
  'cat@example.com,1,no,Cat',
  'dan@example.com,pending,yes,=1+2',
  'eve@example.com,0,yes,Eve',
  'fay@example.com,pending,no,Fay',
  'gus@example.com,pending,yes,Gus',
  'not-an-address,1,yes,Hal',
  ',0,no,Ivy',
  'jo@example.com,1,yes,Jo',
].join('\n')

async function choose(page: Page, label: string | RegExp, option: string | RegExp) {
  await page.getByRole('combobox', { name: label }).click()
  await page.getByRole('option', { name: option }).click()
}

async function openByPicker(page: Page, name: string, content: string | Buffer, mimeType = 'text/csv') {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open a spreadsheet…' }).click(),
  ])
  await chooser.setFiles({ name, mimeType, buffer: typeof content === 'string' ? Buffer.from(content) : content })
}

const identity = (page: Page) => page.getByTestId('identity')

test('a dropped file is split, remapped, corrected and saved', async ({ app }) => {
  await dropFile(app, DROPZONE, { name: 'customers.csv', mimeType: 'text/csv', content: CUSTOMERS })
  await expect(app.getByRole('heading', { name: 'customers.csv' })).toBeVisible()
  await expect(app.getByTestId('row-count')).toHaveText('10 rows')
  await expect(app.getByRole('combobox', { name: 'Values separated by' })).toHaveValue('Commas ( , )')
  await expectNoAccessibilityViolations(app)

  // Map, with the keyboard: the new step's heading takes the focus (a screen reader says where it is).
  await app.getByRole('button', { name: 'Continue: choose the columns' }).press('Enter')
  await expect(app.getByRole('heading', { name: 'Choose the columns', level: 2 })).toBeFocused()
  // Accept the suggestions, but name the groups.
  await expect(app.getByRole('combobox', { name: 'Column with the email addresses' })).toHaveValue('Email')
  await expect(app.getByText('Suggested because of its name.')).toBeVisible()
  await expect(app.getByRole('combobox', { name: /the flag\)$/ })).toHaveValue('Member')
  await expect(
    app.getByText('Suggested because of its contents: its values are 0 and 1 (or yes and no).'),
  ).toBeVisible()
  await expect(app.getByRole('combobox', { name: 'Send “First name” as' })).toHaveValue('First name')
  await app.getByRole('textbox', { name: 'Name of the group marked 0' }).fill('Not using the app')
  await app.getByRole('textbox', { name: 'Name of the group marked 1' }).fill('App users')
  await expect(app.getByTestId('preview-destination')).toHaveText([
    'App users',
    'Not using the app',
    'Not using the app',
    'App users',
    'App users',
    'Not using the app',
    'App users',
    'Problem: Email address not usable',
    'Problem: No email address',
    'App users',
  ])
  await expectNoAccessibilityViolations(app)

  await app.getByRole('button', { name: 'Continue: review the groups' }).press('Enter')
  await expect(app.getByRole('heading', { name: 'Review the two groups', level: 2 })).toBeFocused()
  await expect(identity(app)).toHaveText('10 rows: 3 in “Not using the app” + 5 in “App users” + 2 problems.')
  await expect(app.getByTestId('count-group0').getByTestId('count')).toHaveText('3')
  await expect(app.getByTestId('count-group1').getByTestId('count')).toHaveText('5')
  await expectNoAccessibilityViolations(app)

  // Back to Map: the flag is really in "App", where "pending" is no group's value.
  await app.getByRole('button', { name: 'Back', exact: true }).click()
  await choose(app, /the flag\)$/, 'App')
  await expect(app.getByText('Chosen by you.')).toBeVisible()
  await expect(app.getByRole('row', { name: /pending/ }).getByText('Needs a decision')).toBeVisible()
  await expect(app.getByTestId('preview-destination').nth(3)).toHaveText('Problem: Flag value not assigned to a group')
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await expect(identity(app)).toHaveText('10 rows: 2 in “Not using the app” + 3 in “App users” + 5 problems.')
  await expect(app.getByTestId('reason-unrecognized_flag').getByTestId('reason-count')).toHaveText('3')

  // Assign "pending" to the app users and prepare again.
  await choose(app, 'Where rows with the flag value “pending” go', 'To “App users”')
  await expect(app.getByText('Your choices have changed')).toBeVisible()
  await app.getByRole('button', { name: 'Prepare again' }).first().click()
  await expect(identity(app)).toHaveText('10 rows: 2 in “Not using the app” + 6 in “App users” + 2 problems.')
  await expect(app.getByTestId('reason-unrecognized_flag')).toHaveCount(0)

  // The problems, filtered by reason.
  await app.getByRole('button', { name: 'Show these rows: Email address not usable' }).click()
  await expect(app.getByRole('tab', { name: 'Problems (2)' })).toHaveAttribute('aria-selected', 'true')
  await expect(app.getByRole('combobox', { name: 'Kind of problem' })).toHaveValue('Email address not usable (1)')
  await expect(app.getByTestId('results-total')).toHaveText('1 row matches')
  await expect(app.getByTestId('result-row')).toHaveCount(1)
  await expect(app.getByTestId('result-row').first()).toContainText('not-an-address')
  await expect(app.getByTestId('result-row').first().getByRole('cell').first()).toHaveText('9')
  // The row, reached with the keyboard, is shown in full under the table: a long "Why" can be read.
  await app.getByTestId('results-scroller').focus()
  await app.keyboard.press('Tab')
  await expect(app.getByTestId('result-row').first()).toBeFocused()
  const inFull = app.getByTestId('row-in-full')
  await expect(inFull).toContainText('Row: 9')
  const why = await app.getByTestId('result-row').first().getByRole('cell').nth(2).textContent()
  expect(why!.length).toBeGreaterThan(20)
  await expect(inFull).toContainText(`Why: ${why}`)
  await expectNoAccessibilityViolations(app)
  await choose(app, 'Kind of problem', 'All problems')
  await expect(app.getByTestId('results-total')).toHaveText('2 rows')

  // A group's rows, searched.
  await app.getByRole('tab', { name: 'App users (6)' }).click()
  await expect(app.getByTestId('result-row')).toHaveCount(6)
  await app.getByRole('textbox', { name: 'Search' }).fill('gus@')
  await expect(app.getByTestId('results-total')).toHaveText('1 row matches')
  await expect(app.getByTestId('result-row')).toHaveText([/gus@example\.com/])
  await expectNoAccessibilityViolations(app)

  // Save: a browser downloads each file, named after its group, with formula-like cells guarded.
  await expect(app.getByTestId('safe-copies-note')).toContainText(
    'a cell that starts with =, +, - or @ has an apostrophe in front',
  )
  const download = async (button: string) => {
    const [file] = await Promise.all([app.waitForEvent('download'), app.getByRole('button', { name: button }).click()])
    return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') }
  }
  const appUsers = await download('Download “App users”')
  expect(appUsers.name).toBe('App users.csv')
  const lines = appUsers.text
    .replace(/^\ufeff/, '')
    .trim()
    .split(/\r?\n/)
  expect(lines[0]).toBe('email,first_name')
  expect(
    lines
      .map((line) => line.split(',')[0])
      .slice(1)
      .sort(),
  ).toEqual([
    'ann@example.com',
    'cat@example.com',
    'dan@example.com',
    'fay@example.com',
    'gus@example.com',
    'jo@example.com',
  ])
  // Dan's "first name" would run as a formula in Excel: guarded in the copy, exact in what is uploaded.
  expect(lines).toContain("dan@example.com,'=1+2")
  const uploaded = readFileSync(join(E2E_DATA_DIR, 'jobs', newestJobId(), 'group-1.csv'), 'utf8')
  expect(uploaded).toContain('dan@example.com,=1+2\r\n')
  expect((await download('Download “Not using the app”')).name).toBe('Not using the app.csv')
  expect((await download('Download the problems')).name).toBe('problems.csv')
  const summary = JSON.parse((await download('Download the summary')).text) as {
    rows: number
    groupNames: Record<string, string>
  }
  expect(summary.rows).toBe(10)
  expect(summary.groupNames).toEqual({ '0': 'Not using the app', '1': 'App users' })
  await expectNoAccessibilityViolations(app)
})

test('the flag column: a wrong one is said at the picker, empty cells are placed like any value', async ({ app }) => {
  const lines = ['Email,Uses app,First name']
  for (let i = 0; i < 30; i++) lines.push(`person${i}@example.com,${i % 5 === 0 ? '' : i % 2},Name ${i}`)
  await dropFile(app, DROPZONE, { name: 'blanks.csv', mimeType: 'text/csv', content: lines.join('\n') })
  await expect(app.getByTestId('row-count')).toHaveText('30 rows')
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()

  // A column of names as the flag: said at once next to the picker; its values are not all listed.
  await choose(app, /the flag\)$/, 'First name')
  await expect(
    app.getByText('“First name” doesn’t look like a flag: its first rows hold 30 different values'),
  ).toBeVisible()
  await expect(app.getByTestId('flag-value-row')).toHaveCount(12)
  await expect(app.getByText('And 18 more values, not shown')).toBeVisible()
  await expectNoAccessibilityViolations(app)

  // The real flag column: its 6 empty cells are a row of their own, placed like any value.
  await choose(app, /the flag\)$/, 'Uses app')
  await expect(app.getByText(/doesn’t look like a flag/)).toHaveCount(0)
  const empty = app.getByTestId('flag-value-row').filter({ hasText: '(empty)' })
  await expect(empty).toContainText('6')
  await choose(app, 'Where rows with an empty flag go', 'To “Uses app: no”')

  // What stops Continue is said next to it.
  await app.getByRole('textbox', { name: 'Name of the group marked 1' }).fill('Uses app: no')
  const next = app.getByRole('button', { name: 'Continue: review the groups' })
  await expect(next).toBeDisabled()
  await expect(next).toHaveAccessibleDescription('Give the two groups different names.')
  await app.getByRole('textbox', { name: 'Name of the group marked 1' }).fill('Uses app: yes')
  await next.click()
  await expect(identity(app)).toHaveText('30 rows: 18 in “Uses app: no” + 12 in “Uses app: yes” + 0 problems.')
  await expect(app.getByTestId('flag-value-row').filter({ hasText: '(empty)' })).toContainText('6')
})

test('changing how the file is read reads it again', async ({ app }) => {
  // Excel's plain "CSV" on Windows: Windows-1252, semicolons.
  const latin = Buffer.from('Email;Name;Flag\nann@example.com;Müller;1\nbob@example.com;Faßbender;0\n', 'latin1')
  await dropFile(app, DROPZONE, { name: 'windows.csv', mimeType: 'text/csv', content: latin })
  await expect(app.getByTestId('column-name')).toHaveText(['Email', 'Name', 'Flag'])
  await expect(app.getByRole('combobox', { name: 'Text encoding' })).toHaveValue(/Windows-1252/)
  await expect(app.getByRole('table', { name: 'First rows of the file' })).toContainText('Müller')

  await choose(app, 'Text encoding', /UTF-8/)
  await expect(app.getByText('Splitsend detected: Western European (Windows-1252)', { exact: false })).toBeVisible()
  await expect(app.getByRole('table', { name: 'First rows of the file' })).toContainText('M\uFFFDller')
  await expect(app.getByText(/Some characters could not be read/)).toBeVisible()
  await choose(app, 'Text encoding', /Windows-1252/)
  await expect(app.getByRole('table', { name: 'First rows of the file' })).toContainText('Faßbender')

  // A separator that makes nonsense of the file is refused in plain words; the file stays as it was read.
  await choose(app, 'Values separated by', 'Commas ( , )')
  await expect(app.getByRole('alert')).toContainText("doesn't look like a contact list")
  await expect(app.getByTestId('column-name')).toHaveText(['Email', 'Name', 'Flag'])
  await expect(app.getByRole('combobox', { name: 'Values separated by' })).toHaveValue('Semicolons ( ; )')

  // Header row 0: the first line is read as data, and the columns get numbers.
  await app.getByRole('textbox', { name: /Header row/ }).fill('0')
  await app.getByRole('textbox', { name: /Header row/ }).press('Enter')
  await expect(app.getByTestId('column-name')).toHaveText(['Column 1', 'Column 2', 'Column 3'])
  await expect(app.getByTestId('row-count')).toHaveText('3 rows')
  await expectNoAccessibilityViolations(app)
})

test('an Excel workbook opens on its sheet of contacts, says why, and is read from the sheet chosen', async ({
  app,
}) => {
  await openByPicker(
    app,
    'members.xlsx',
    await workbook(),
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  await expect(app.getByRole('heading', { name: 'members.xlsx' })).toBeVisible()
  await expect(app.getByText('Excel workbook', { exact: false }).first()).toBeVisible()
  // Not the summary sheet in front of it: the first that looks like contacts, and the screen says why.
  const sheet = app.getByRole('combobox', { name: 'Sheet' })
  await expect(sheet).toHaveValue('Members (email addresses)')
  await expect(
    app.getByText('Opened here: the first sheet with a column of email addresses (“Summary” has none).'),
  ).toBeVisible()
  await expect(app.getByTestId('column-name')).toHaveText(['E-mail', 'Uses app', 'Name'])
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await expect(identity(app)).toHaveText('3 rows: 1 in “Uses app: no” + 2 in “Uses app: yes” + 0 problems.')
  await expect(app.getByText('Every row is in one of the two groups.')).toBeVisible()
})

test('a quarter of a million rows scroll in the group table, fetched a page at a time', async ({ app }) => {
  const lines = ['email,uses app,first name']
  for (let i = 0; i < 250_000; i++) lines.push(`person${i}@example.com,${i % 100 === 0 ? 0 : 1},Person ${i}`)
  await openByPicker(app, 'large.csv', lines.join('\n'))
  await expect(app.getByTestId('row-count')).toHaveText('250,000 rows', { timeout: 30_000 })
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await expect(identity(app)).toHaveText(
    '250,000 rows: 2,500 in “uses app: no” + 247,500 in “uses app: yes” + 0 problems.',
    {
      timeout: 30_000,
    },
  )

  await app.getByRole('tab', { name: 'uses app: yes (247,500)' }).click()
  const scroller = app.getByTestId('results-scroller')
  const rows = app.getByTestId('result-row')
  await expect(rows.first()).toContainText('person1@example.com')
  expect(await rows.count(), 'only the rows on screen are in the page').toBeLessThan(60)
  // Taller than a browser can lay out at full height for a million rows, so the scroll range is compressed.
  expect(await scroller.evaluate((el) => el.scrollHeight)).toBeLessThan(247_500 * 34)

  // The middle, then the very end: each shows its own rows once their page has come.
  await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }))
  await expect(rows.filter({ hasText: /person\d+@/ }).first()).toContainText(/person1[23]\d{4}@example\.com/)
  await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
  await expect(rows.last()).toContainText('person249999@example.com')
  await expect(rows.last().getByRole('cell').first()).toHaveText('250,001')
  const [boxBottom, lastRow] = [
    await scroller.evaluate((el) => el.getBoundingClientRect().top + el.clientTop + el.clientHeight),
    await rows.last().boundingBox(),
  ]
  expect(lastRow!.y + lastRow!.height, 'the last row is fully in view').toBeLessThanOrEqual(boxBottom + 1)
  expect(await rows.count()).toBeLessThan(60)

  // Back to the top with the keyboard.
  await scroller.focus()
  await app.keyboard.press('Control+Home')
  await expect(rows.first()).toContainText('person1@example.com')

  await app.getByRole('textbox', { name: 'Search' }).fill('person123457@')
  await expect(app.getByTestId('results-total')).toHaveText('1 row matches')
  await expect(rows).toHaveCount(1)
})

test.describe('in the dark theme', () => {
  test.use({ colorScheme: 'dark' })

  test('every Prepare screen has no accessibility problems', async ({ app }) => {
    await dropFile(app, DROPZONE, { name: 'customers.csv', mimeType: 'text/csv', content: CUSTOMERS })
    await expect(app.getByTestId('row-count')).toHaveText('10 rows')
    await expectNoAccessibilityViolations(app)
    await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
    await choose(app, /the flag\)$/, 'App')
    await expect(app.getByText('Needs a decision').first()).toBeVisible()
    await expectNoAccessibilityViolations(app)
    await app.getByRole('button', { name: 'Continue: review the groups' }).click()
    await expect(identity(app)).toHaveText('10 rows: 2 in “App: no” + 3 in “App: yes” + 5 problems.')
    await expectNoAccessibilityViolations(app)
  })
})

/** A minimal workbook: a "Summary" sheet, then "Members" with inline strings and a numeric flag. */
function workbook(): Promise<Buffer> {
  const zip = new yazl.ZipFile()
  const add = (path: string, xml: string) =>
    zip.addBuffer(Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${xml}`), path)
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
  add(
    '[Content_Types].xml',
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
  )
  add(
    '_rels/.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  )
  add(
    'xl/workbook.xml',
    `<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Summary" sheetId="1" r:id="rId1"/><sheet name="Members" sheetId="2" r:id="rId2"/></sheets></workbook>`,
  )
  add(
    'xl/_rels/workbook.xml.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`,
  )
  const text = (ref: string, value: string) => `<c r="${ref}" t="inlineStr"><is><t>${value}</t></is></c>`
  add(
    'xl/worksheets/sheet1.xml',
    `<worksheet xmlns="${main}"><sheetData><row r="1">${text('A1', 'Members this month')}<c r="B1"><v>3</v></c></row><row r="2">${text('A2', 'Questions to')}${text('B2', 'office@example.com')}</row></sheetData></worksheet>`,
  )
  const number = (ref: string, value: number) => `<c r="${ref}"><v>${value}</v></c>`
  const rows = [
    ['E-mail', 'Uses app', 'Name'],
    ['ann@example.com', 1, 'Ann'],
    ['bob@example.com', 0, 'Bob'],
    ['cat@example.com', 1, 'Cat'],
  ]
  const sheetRows = rows
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells.map((cell, c) => (typeof cell === 'number' ? number(`${'ABC'[c]}${r + 1}`, cell) : text(`${'ABC'[c]}${r + 1}`, cell))).join('')}</row>`,
    )
    .join('')
  add('xl/worksheets/sheet2.xml', `<worksheet xmlns="${main}"><sheetData>${sheetRows}</sheetData></worksheet>`)
  zip.end()
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk))
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)))
    zip.outputStream.on('error', reject)
  })
}

test('values longer than Constant Contact’s import takes: the address is a problem of its own, others are cut and shown', async ({
  app,
}) => {
  const longAddress = `${'l'.repeat(39)}@example.com`
  const content = [
    'Email,Flag,First name,Company',
    `ann@example.com,1,${'A'.repeat(60)},Acme`,
    `${longAddress},0,Long,Acme`,
    `bob@example.com,0,Bob,${'C'.repeat(55)}`,
  ].join('\n')
  await dropFile(app, DROPZONE, { name: 'long.csv', mimeType: 'text/csv', content })
  await app.getByRole('button', { name: 'Continue: choose the columns' }).click()
  await expect(app.getByTestId('preview-destination').nth(1)).toHaveText(
    'Problem: Email address too long for an import',
  )
  await app.getByRole('button', { name: 'Continue: review the groups' }).click()
  await expect(identity(app)).toHaveText('3 rows: 1 in “Flag: no” + 1 in “Flag: yes” + 1 problem.')
  await expect(app.getByTestId('reason-email_too_long')).toContainText(
    'longer than the 50 characters Constant Contact’s import takes',
  )
  const cut = app.getByTestId('cut-values')
  await expect(cut).toContainText('Values cut to Constant Contact’s lengths')
  await expect(cut.getByTestId('cut-first_name')).toContainText('First name')
  await expect(cut.getByTestId('cut-first_name')).toContainText('50 characters')
  await expect(cut.getByTestId('cut-first_name')).toContainText('1: row 2')
  await expect(cut.getByTestId('cut-company_name')).toContainText('1: row 4')
  await expectNoAccessibilityViolations(app)
})
