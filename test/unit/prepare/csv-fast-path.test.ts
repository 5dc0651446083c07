import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FastCsvParser, PLAIN_CELL_BITS, type FastCsvSink } from '../../../electron/services/prepare/fast'
import {
  CsvChunkParser,
  parseRecordTexts,
  type CsvParseSettings,
} from '../../../electron/services/spreadsheet/csv-parse'
import { csvField } from '../../../electron/services/spreadsheet/csv-text'
import { trimCell } from '../../../shared/prepare/email'

type Event = ['row', string[], number, number, number] | ['malformed', string, number, string]

/** Everything a parser reports for `text` fed in the given pieces, and the `plain` masks it gave. */
/** Gives the parser the text cut at the given places (so records and characters straddle pieces), then ends it. */
function feedInPieces(parser: CsvChunkParser, text: string, cuts: number[]): void {
  let from = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(cut, text.length)
    if (at > from) parser.push(text.slice(from, at))
    from = Math.max(from, at)
  }
  if (from < text.length) parser.push(text.slice(from))
  parser.end()
}

function run(
  text: string,
  cuts: number[],
  settings: CsvParseSettings,
  stopAfter = Infinity,
  Parser: typeof CsvChunkParser = FastCsvParser,
): { events: Event[]; masks: Array<number | undefined> } {
  const events: Event[] = []
  const masks: Array<number | undefined> = []
  const sink: FastCsvSink = {
    row(cells, row, start, end, plain) {
      events.push(['row', cells.slice(), row, start, end])
      masks.push(plain)
      return events.length < stopAfter
    },
    malformed(raw, row, detail) {
      events.push(['malformed', raw, row, detail])
      masks.push(undefined)
      return events.length < stopAfter
    },
  }
  feedInPieces(new Parser(settings, sink), text, cuts)
  return { events, masks }
}

function expectSameAsPapaparse(text: string, cuts: number[], settings: CsvParseSettings, stopAfter?: number): void {
  const fast = run(text, cuts, settings, stopAfter)
  const reference = run(text, cuts, settings, stopAfter, CsvChunkParser)
  expect(fast.events).toEqual(reference.events)
  // A cell the fast path calls plain really has nothing to quote.
  fast.events.forEach((event, i) => {
    const mask = fast.masks[i]
    if (event[0] !== 'row' || mask === undefined) return
    event[1].forEach((cell, column) => {
      if (column < PLAIN_CELL_BITS && (mask >>> column) & 1) expect(cell).not.toMatch(/[",\r\n]/)
    })
  })
}

const settingsArb = fc.record({
  delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const),
  newline: fc.constantFrom('\n' as const, '\r' as const),
  expectedWidth: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
})
const cutsArb = fc.array(fc.nat({ max: 200 }), { maxLength: 6 })

describe('the CSV fast path reads exactly what papaparse reads', () => {
  it('on any text of the characters that matter (property)', () => {
    const textArb = fc
      .array(fc.constantFrom('a', 'b', ',', ';', '\t', '"', '""', '\r', '\n', '\r\n', ' ', 'é'), { maxLength: 80 })
      .map((parts) => parts.join(''))
    fc.assert(
      fc.property(textArb, cutsArb, settingsArb, (text, cuts, settings) => expectSameAsPapaparse(text, cuts, settings)),
      { numRuns: 3000 },
    )
  })

  it('on well-formed files with quoted cells and a few accidents (property)', () => {
    const cellArb = fc.oneof(
      fc.constantFrom('', 'plain', 'two words', ' spaced ', 'x"y', 'semi;colon'),
      fc
        .constantFrom('Globex, Ltd.', 'say "hi"', 'line\nbreak', 'cr\rhere', '"', 'a\r\nb')
        .map((v) => `"${v.replace(/"/g, '""')}"`),
      fc.constantFrom('"stray', '"closed" late', '"a" ', 'mid"quote'),
    )
    const fileArb = fc.tuple(
      fc.array(fc.array(cellArb, { minLength: 1, maxLength: 5 }), { maxLength: 12 }),
      fc.constantFrom('\r\n', '\n', '\r'),
      fc.boolean(),
    )
    fc.assert(
      fc.property(fileArb, cutsArb, settingsArb, ([records, lineBreak, finalBreak], cuts, settings) => {
        const text =
          records.map((cells) => cells.join(settings.delimiter)).join(lineBreak) + (finalBreak ? lineBreak : '')
        expectSameAsPapaparse(text, cuts, settings)
      }),
      { numRuns: 3000 },
    )
  })

  it('reads records cut out by their spans again, all at once, into the cells the stream gave (property)', () => {
    const cellArb = fc.oneof(
      fc.constantFrom('', 'plain', 'two words', 'é', 'a\rb'),
      fc
        .constantFrom('Globex, Ltd.', 'say "hi"', 'line\nbreak', 'cr\rhere', 'a\r\nb')
        .map((v) => `"${v.replace(/"/g, '""')}"`),
    )
    const fileArb = fc.tuple(
      fc.array(fc.array(cellArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
      fc.constantFrom('\r\n', '\n', '\r'),
      fc.boolean(),
    )
    fc.assert(
      fc.property(fileArb, settingsArb, fc.nat(), ([records, lineBreak, finalBreak], { delimiter, newline }, pick) => {
        const text = records.map((cells) => cells.join(delimiter)).join(lineBreak) + (finalBreak ? lineBreak : '')
        const rows = run(text, [], { delimiter, newline }).events.filter((event) => event[0] === 'row')
        // Some of the records, in order, as a pass asks for them again (the last one included, when picked).
        const wanted = rows.filter((_, i) => ((pick >>> (i % 30)) & 1) === 1 || i === rows.length - 1)
        const again = parseRecordTexts(
          wanted.map((event) => text.slice(event[3], event[4])),
          { delimiter, newline },
        )
        expect(again).toEqual(wanted.map((event) => event[1]))
      }),
      { numRuns: 3000 },
    )
  })

  it('stops where the sink says, like papaparse', () => {
    const text = 'a,b\r\n"c","d"\r\ne,f\r\n'
    for (let stop = 1; stop <= 3; stop++) expectSameAsPapaparse(text, [3, 9], { delimiter: ',', newline: '\n' }, stop)
  })

  it('marks the plain cells of a usual record, the CR of CRLF aside', () => {
    const { events, masks } = run('a,"b",c"d,e\r\n', [], { delimiter: ',', newline: '\n' })
    expect(events).toEqual([['row', ['a', 'b', 'c"d', 'e'], 1, 0, 13]])
    expect(masks).toEqual([0b1001])
  })
})

/** What a sink that takes record views sees: each fast-path record as cells, and the cells it may copy as they stand. */
function runWithViews(
  text: string,
  cuts: number[],
  settings: CsvParseSettings,
): { events: Event[]; copied: Array<{ cell: string; raw: string }> } {
  const events: Event[] = []
  const copied: Array<{ cell: string; raw: string }> = []
  const parser = new FastCsvParser(settings, {
    row(cells, row, start, end) {
      events.push(['row', cells.slice(), row, start, end])
    },
    record(view, row, start, end) {
      const cells = view.cells()
      events.push(['row', cells, row, start, end])
      for (let i = 0; i <= view.count; i++) {
        expect(view.cell(i)).toBe(cells[i] ?? '')
        if (view.isWrittenAsIs(i))
          copied.push({ cell: cells[i]!, raw: view.text.slice(view.rawStart(i), view.rawEnd(i)) })
      }
    },
    malformed(raw, row, detail) {
      events.push(['malformed', raw, row, detail])
    },
  })
  feedInPieces(parser, text, cuts)
  return { events, copied }
}

describe('records handed over as views', () => {
  it('hold the same cells as the rows papaparse gives, and a cell copied as it stands is what quoting it would write (property)', () => {
    const cellArb = fc.oneof(
      fc.constantFrom('', 'plain', 'two words', ' spaced ', 'x"y', 'semi;colon', 'é', 'tab\t', 'a,b'),
      fc
        .constantFrom(
          '',
          'Globex, Ltd.',
          'say "hi"',
          'line\nbreak',
          'cr\rhere',
          '"',
          'a\r\nb',
          'plain',
          ' x, y ',
          'ends in cr\r',
          'x, y\r',
          '\u00a0nbsp, here',
        )
        .map((v) => `"${v.replace(/"/g, '""')}"`),
      fc.constantFrom('"stray', '"a" '),
    )
    const fileArb = fc.tuple(
      fc.array(fc.array(cellArb, { minLength: 1, maxLength: 5 }), { maxLength: 12 }),
      fc.constantFrom('\r\n', '\n', '\r'),
      fc.boolean(),
    )
    fc.assert(
      fc.property(fileArb, cutsArb, settingsArb, ([records, lineBreak, finalBreak], cuts, settings) => {
        const text =
          records.map((cells) => cells.join(settings.delimiter)).join(lineBreak) + (finalBreak ? lineBreak : '')
        const { events, copied } = runWithViews(text, cuts, settings)
        expect(events).toEqual(run(text, cuts, settings, Infinity, CsvChunkParser).events)
        for (const { cell, raw } of copied) expect(raw).toBe(csvField(trimCell(cell)))
      }),
      { numRuns: 3000 },
    )
  })
})
