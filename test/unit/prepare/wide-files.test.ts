import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCommand } from '../cli-run'
import { dispatchRequest, type Handlers } from '../../../electron/services/contract-dispatch'
import { FileRegistry } from '../../../electron/services/files/file-registry'
import { createPrepareHandlers } from '../../../electron/services/prepare/handlers'
import { tempDir, writeFile } from './helpers'

/** A CSV of `columns` columns: Email, Flag, then columns no field matches, and three contacts. */
function wideCsv(columns: number): string {
  const header = ['Email', 'Flag', 'First name']
  for (let i = header.length; i < columns; i++) header.push(`Attribute ${i}`)
  const row = (email: string, flag: string): string =>
    [email, flag, 'Ann', ...Array.from({ length: columns - 3 }, (_, i) => `v${i}`)].join(',')
  return [
    header.join(','),
    row('ann@example.com', '1'),
    row('bob@example.com', '0'),
    row('cy@example.com', '1'),
    '',
  ].join('\n')
}

const files = new FileRegistry()
const prepare = createPrepareHandlers({ files, jobsDir: join(tempDir(), 'jobs'), emit: () => {} })
afterAll(() => prepare.dispose())

/** `prepare.inspect` as the app asks for it: through the contract, its output checked. */
async function inspectInApp(path: string) {
  const { fileId } = await files.attachPath(path)
  return dispatchRequest(prepare.handlers as Handlers, 'prepare.inspect', { fileId }, () => {})
}

const command = runCommand

describe('a wide file gets the same answer in the app and the command', () => {
  it('1,100 columns: both read it, with the same suggestion (only the columns it suggests are listed)', async () => {
    const path = writeFile('wide.csv', wideCsv(1100))
    const app = await inspectInApp(path)
    expect(app.ok).toBe(true)
    const inspection = (app as { value: { columns: unknown[]; suggestion: { mapping: unknown } } }).value
    expect(inspection.columns).toHaveLength(1100)
    expect(inspection.suggestion.mapping).toEqual({
      emailColumn: 0,
      flagColumn: 1,
      fields: [{ column: 2, target: { kind: 'field', field: 'first_name' } }],
    })
    const json = await command('inspect', path, '--json')
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout).suggestion.mapping).toEqual(inspection.suggestion.mapping)
    const prepared = await command('prepare', path, '--out', join(tempDir(), 'job'), '--json')
    expect(prepared.stderr).toBe('')
    expect(JSON.parse(prepared.stdout)).toMatchObject({ rows: 3, groups: { '0': 1, '1': 2 } })
  })

  it('100,000 columns: both refuse it, in the same words', async () => {
    const path = writeFile('wider.csv', wideCsv(100_000))
    const app = await inspectInApp(path)
    const message = '“wider.csv” has 100,000 columns; Splitsend reads at most 16,384, as many as an Excel sheet holds.'
    expect(app).toMatchObject({ ok: false, error: { code: 'too_many_columns', message } })
    for (const argv of [
      ['inspect', path],
      ['prepare', path, '--out', join(tempDir(), 'job')],
    ]) {
      const result = await command(...argv)
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(message)
    }
  })
})
