import iconv from 'iconv-lite'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  readCsvFast,
  readCsvInThread,
  type CsvRecordView,
  type FastCsvSink,
} from '../../../electron/services/prepare/fast'
import type { CsvParseSettings } from '../../../electron/services/spreadsheet/csv-parse'
import type { CsvTextFile } from '../../../electron/services/spreadsheet/csv-read'
import {
  expectCancelLeavesNothing,
  expectSameJobFolders,
  mixedCsv,
  prepareBothWays,
  tempDir,
  writeFile,
} from './helpers'

describe('a CSV file read on a read thread', () => {
  it.each(['exclude', 'first', 'last'] as const)(
    'prepares the same job folder, byte for byte (on conflict: %s)',
    async (onConflict) => {
      const path = writeFile('mixed.csv', mixedCsv(40000))
      const outDirs = await prepareBothWays(path, 'readThread', { onConflict })
      expectSameJobFolders(outDirs)
      const summary = JSON.parse(readFileSync(join(outDirs.thread, 'summary.json'), 'utf8')) as {
        problems: Record<string, number>
        cutValues: Array<{ column: string }>
        warnings: string[]
      }
      const conflict = onConflict === 'exclude' ? 'conflicting_flag' : 'overruled_flag'
      for (const reason of [conflict, 'duplicate', 'invalid_email', 'unrecognized_flag', 'malformed_row'])
        expect(summary.problems[reason], reason).toBeGreaterThan(0)
      expect(summary.problems.email_too_long).toBeGreaterThan(0)
      expect(summary.cutValues.map((c) => c.column)).toEqual(['first_name', 'company_name'])
    },
  )

  it('prepares the same job folder for a semicolon file in Windows-1252', async () => {
    const text = mixedCsv(20000).replace(/,/g, ';').replace(/Zoë/g, 'Zoë Ñandú')
    const outDirs = await prepareBothWays(writeFile('european.csv', iconv.encode(text, 'windows-1252')), 'readThread', {
      encoding: 'windows-1252',
      delimiter: ';',
    })
    expectSameJobFolders(outDirs)
  })

  it('prepares the same job folder for UTF-8 with a BOM, LF line breaks and bytes that are not UTF-8', async () => {
    const text = mixedCsv(20000).replace(/\r\n/g, '\n')
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(text.slice(0, 300000)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(text.slice(300000)),
    ])
    const outDirs = await prepareBothWays(writeFile('bom.csv', bytes), 'readThread')
    expectSameJobFolders(outDirs)
    const summary = JSON.parse(readFileSync(join(outDirs.thread, 'summary.json'), 'utf8')) as { warnings: string[] }
    expect(summary.warnings.join(' ')).toMatch(/could not be read as utf-8/)
  })

  it('stops and leaves no files behind when the pass is cancelled', async () => {
    await expectCancelLeavesNothing({ readThread: true })
  })
})

type Event = unknown[]

/** A sink that notes everything it is given, records as the cells and facts a view shows. */
function recordingSink(events: Event[], stopAfter = Number.POSITIVE_INFINITY): FastCsvSink {
  const note = (event: Event): boolean => events.push(event) < stopAfter
  return {
    row: (cells, row, start, end) => note(['row', cells.slice(), row, start, end]),
    record: (view: CsvRecordView, row, start, end) => note(['record', view.cells(), view.plain, row, start, end]),
    malformed: (raw, row, detail) => note(['malformed', raw, row, detail]),
  }
}

describe('readCsvInThread', () => {
  const settings: CsvParseSettings = { delimiter: ',', newline: '\n', expectedWidth: 4 }
  const fileOf = (path: string): CsvTextFile => ({
    path,
    encoding: 'utf-8',
    bomBytes: 0,
    sizeBytes: readFileSync(path).length,
  })

  it('gives the sink the same records, rows and malformed lines, in the same order, as reading on this thread', async () => {
    // The last line has no line break: papaparse reads it (as `row`), not the fast path.
    const path = writeFile('mixed.csv', `${mixedCsv(30000)}last@example.com,Last,Acme,1`)
    const here: Event[] = []
    const thread: Event[] = []
    const expected = await readCsvFast(fileOf(path), settings, recordingSink(here))
    const result = await readCsvInThread(fileOf(path), settings, recordingSink(thread))
    expect(thread.length).toBe(here.length)
    expect(thread).toEqual(here)
    expect(
      here.some((e) => e[0] === 'malformed') && here.some((e) => e[0] === 'row') && here.some((e) => e[0] === 'record'),
    ).toBe(true)
    expect({ ...result, positions: null }).toEqual({ ...expected, positions: null })
    expect(result.positions?.noted()).toEqual(expected.positions?.noted())
  })

  it('stops reading when the sink says so', async () => {
    const path = writeFile('mixed.csv', mixedCsv(30000))
    const events: Event[] = []
    const result = await readCsvInThread(fileOf(path), settings, recordingSink(events, 1000))
    expect(result.complete).toBe(false)
    expect(result.positions).toBeNull()
    expect(events.length).toBe(1000)
  })

  it('rejects when cancelled, and when the file cannot be read', async () => {
    const path = writeFile('mixed.csv', mixedCsv(100000))
    const controller = new AbortController()
    let seen = 0
    const sink = recordingSink([])
    const cancelling: FastCsvSink = {
      ...sink,
      record: (view, row, start, end) => (++seen === 5000 ? controller.abort() : sink.record!(view, row, start, end)),
    }
    await expect(readCsvInThread(fileOf(path), settings, cancelling, { signal: controller.signal })).rejects.toThrow()
    await expect(
      readCsvInThread({ ...fileOf(path), path: join(tempDir(), 'missing.csv') }, settings, recordingSink([])),
    ).rejects.toThrow(/ENOENT/)
  })

  it('works out each record’s plain address and whether its output line is one piece of the file', async () => {
    const text =
      'Email,Name,Flag\nanna@example.com,Anna,1\nBen@Example.com,Ben,0\n"carl@example.com",Carl,1\nnot an address,Dan,0\neve@example.com,"Eve, E.",1\n'
    const path = writeFile('facts.csv', text)
    const facts: unknown[] = []
    const sink: FastCsvSink = {
      row: () => {},
      malformed: () => {},
      record: (view) => {
        const address =
          view.addressLength >= 0
            ? Buffer.from(view.addressBytes.subarray(view.addressFrom, view.addressFrom + view.addressLength)).toString(
                'latin1',
              )
            : null
        facts.push([
          address,
          view.addressAsIs,
          view.lineStart === -1 ? null : view.text.slice(view.lineStart, view.lineEnd),
        ])
      },
    }
    await readCsvInThread(fileOf(path), { delimiter: ',', newline: '\n' }, sink, {
      facts: { addressColumn: 0, lineColumns: [0, 1], commaSeparated: true },
    })
    expect(facts).toEqual([
      [null, false, null], // the header
      ['anna@example.com', true, 'anna@example.com,Anna'],
      ['ben@example.com', false, null],
      ['carl@example.com', true, null], // quoted without need: written otherwise
      [null, false, null],
      ['eve@example.com', true, 'eve@example.com,"Eve, E."'],
    ])
  })
})
