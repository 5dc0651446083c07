import fc from 'fast-check'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Utf8Positions } from '../../../electron/services/spreadsheet/utf8-positions'
import { tempDir } from '../temp'

const dir = tempDir('utf8-positions')

/** Decodes `bytes` as the reader does (a streaming decoder, pieces cut anywhere) and notes every piece. */
function readAsTheReaderDoes(bytes: Buffer, cuts: number[], bom: boolean): { text: string; positions: Utf8Positions } {
  const decoder = new TextDecoder('utf-8')
  const positions = new Utf8Positions(bom ? 3 : 0)
  let text = ''
  let from = 0
  for (const cut of [...cuts.filter((c) => c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    const piece = decoder.decode(bytes.subarray(from, cut), { stream: true })
    from = cut
    if (piece.length === 0) continue
    positions.add(piece)
    text += piece
  }
  const rest = decoder.decode()
  if (rest.length > 0) positions.add(rest)
  return { text: text + rest, positions }
}

describe('Utf8Positions reads records again by their character span', () => {
  it('gives exactly the decoded text of every span (property: BOMs, U+FEFF, accents, emoji, cuts inside characters)', () => {
    const char = fc.constantFrom('a', 'b', ',', '\n', '\r\n', ' ', 'é', 'ü', '中', '😀', '\ufeff', 'x'.repeat(700))
    fc.assert(
      fc.property(
        fc.array(char, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        fc.array(fc.nat({ max: 40_000 }), { maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3000 })), { minLength: 1, maxLength: 20 }),
        (parts, bom, cuts, wanted) => {
          // (Without a mark of its own, text starting with U+FEFF would begin with one.)
          const content = (!bom && parts[0] === '\ufeff' ? 'a' : '') + parts.join('')
          const bytes = Buffer.concat([
            bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
            Buffer.from(content, 'utf8'),
          ])
          const path = join(dir, 'text.csv')
          writeFileSync(path, bytes)
          const { text, positions } = readAsTheReaderDoes(bytes, cuts, bom)
          expect(text).toBe(content)
          // Spans that start and end between characters (never inside a surrogate pair), sorted.
          const boundary = (at: number): number =>
            at > 0 && at < text.length && text.charCodeAt(at - 1) >= 0xd800 && text.charCodeAt(at - 1) < 0xdc00
              ? at + 1
              : at
          const spans = wanted
            .map(([start, length]) => {
              const from = boundary(start % (text.length + 1))
              return { start: from, end: boundary(Math.min(text.length, from + length)) }
            })
            .sort((a, b) => a.start - b.start)
          const read: string[] = []
          positions.readSpans(path, spans, (_span, spanText) => read.push(spanText))
          expect(read).toEqual(spans.map((span) => text.slice(span.start, span.end)))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keeps a U+FEFF that starts a noted position (it is not a byte order mark there)', () => {
    const content = `${'a'.repeat(1023)}\ufeffb,c\n`
    const path = join(dir, 'feff.csv')
    writeFileSync(path, content)
    const { positions } = readAsTheReaderDoes(Buffer.from(content, 'utf8'), [], false)
    const read: string[] = []
    positions.readSpans(path, [{ start: 1023, end: content.length }], (_span, text) => read.push(text))
    expect(read).toEqual(['\ufeffb,c\n'])
  })
})
