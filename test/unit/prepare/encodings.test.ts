import { writeFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { detectEncoding } from '../../../electron/services/spreadsheet/encoding'
import { READ_CHUNK_BYTES, readDecodedText } from '../../../electron/services/spreadsheet/text-file'
import { prepareFile, writeFile } from './helpers'

const TEXT =
  'Email,Prénom,Ville,Flag\r\nzoë@example.com,Zoë,Zürich,1\r\nrené@example.com,René,Besançon,0\r\nfrançois@example.com,François,Málaga,1\r\n'

describe('encodings', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'utf-8'],
    ['UTF-8 without BOM', Buffer.from(TEXT, 'utf8'), 'utf-8'],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]), 'utf-16le'],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(TEXT, 'utf-16be')]), 'utf-16be'],
    ['Windows-1252', iconv.encode(TEXT, 'windows-1252'), 'windows-1252'],
    ['Mac Roman', iconv.encode(TEXT, 'macintosh'), 'macintosh'],
  ])('reads %s, detects it, and keeps the first header free of the BOM', async (_name, bytes, encoding) => {
    const path = writeFile('contacts.csv', bytes)
    const inspection = await inspectSource(path)
    expect(inspection.encoding).toBe(encoding)
    expect(inspection.columns.map((c) => c.name)).toEqual(['Email', 'Prénom', 'Ville', 'Flag'])
    expect(inspection.previewRows.map((r) => r.cells[2])).toEqual(['Zürich', 'Besançon', 'Málaga'])
    const files = await prepareFile(path)
    expect(files.group1.slice(1).map((r) => r[0])).toEqual(['zoë@example.com', 'françois@example.com'])
  })

  it('tells UTF-16 without a BOM by its zero bytes', () => {
    expect(detectEncoding(Buffer.from(TEXT, 'utf16le'), true).encoding).toBe('utf-16le')
  })

  it('lets the person override the detected encoding', async () => {
    const path = writeFile('contacts.csv', iconv.encode(TEXT, 'windows-1252'))
    const inspection = await inspectSource(path, { encoding: 'macintosh' })
    expect(inspection.encoding).toBe('macintosh')
    expect(inspection.encodingDetected).toBe('windows-1252')
    expect(inspection.previewRows[0]!.cells[1]).not.toBe('Zoë')
  })

  it('keeps a character whose bytes are split between two read chunks', async () => {
    // Put the two bytes of "é" exactly on either side of the chunk boundary.
    const head = 'Email,Name,Flag\n'
    const filler = 'x'.repeat(READ_CHUNK_BYTES - Buffer.byteLength(head) - 'a@example.com,'.length - 1)
    // Its row is left out (flag "maybe"), so problems.csv keeps the whole cell (a group file would cut it to 50).
    const text = `${head}a@example.com,${filler}é,maybe\nb@example.com,Bé,0\n`
    const bytes = Buffer.from(text, 'utf8')
    expect(bytes[READ_CHUNK_BYTES - 1]).toBe(0xc3) // first byte of é ends the first chunk
    const path = writeFile('split.csv', bytes)
    let decoded = ''
    await readDecodedText(path, 'utf-8', (chunk) => void (decoded += chunk))
    expect(decoded).toBe(text)
    expect(decoded).not.toContain('\ufffd')
    const files = await prepareFile(path, {
      mapping: {
        emailColumn: 0,
        flagColumn: 2,
        fields: [{ column: 1, target: { kind: 'field', field: 'first_name' } }],
      },
    })
    expect(files.problems[1]!.at(-2)!.endsWith('xé')).toBe(true)
    expect(files.group0[1]).toEqual(['b@example.com', 'Bé'])
    expect(files.summary.warnings).toEqual([])
  })

  it('warns when bytes further into the file are not valid in the chosen encoding', async () => {
    const good = `Email,Flag\n${'a@example.com,1\n'.repeat(70000)}`
    const path = writeFile(
      'mixed.csv',
      Buffer.concat([Buffer.from(good), iconv.encode('zoë@example.com,0\n', 'windows-1252')]),
    )
    const files = await prepareFile(path)
    expect(files.summary.source.encoding).toBe('utf-8')
    expect(files.summary.warnings.join(' ')).toContain('could not be read as utf-8')
    writeFileSync(path, '') // free the space early
  })
})
