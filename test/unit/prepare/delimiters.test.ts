import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { detectDelimiter } from '../../../electron/services/spreadsheet/delimiter'
import { writeFile } from './helpers'

describe('delimiter detection', () => {
  it.each([
    [',', 'Email,Name,Flag\na@example.com,Ann,1\nb@example.com,"Smith, Bob",0\n'],
    [';', 'Email;Name;Flag\na@example.com;Ann;1\nb@example.com;Bob;0\n'],
    ['\t', 'Email\tName\tFlag\na@example.com\tAnn, Jr\t1\nb@example.com\tBob\t0\n'],
    ['|', 'Email|Name|Flag\na@example.com|Ann|1\nb@example.com|Bob|0\n'],
  ])('finds %j', (delimiter, text) => {
    expect(detectDelimiter(text, true)).toBe(delimiter)
  })

  it('is not fooled by decimal commas in a semicolon file', () => {
    const text = 'Email;Name;Score;Flag\na@example.com;Ann;12,5;1\nb@example.com;Bob;7,25;0\nc@example.com;Cy;3,0;1\n'
    expect(detectDelimiter(text, true)).toBe(';')
  })

  it('weighs the header row: commas inside one data column do not win', () => {
    const text = 'Email;Tags;Flag\na@example.com;x,y;1\nb@example.com;x,y;0\n'
    expect(detectDelimiter(text, true)).toBe(';')
  })

  it('is reported and can be overridden', async () => {
    const path = writeFile('a.csv', 'Email;Name,Alias;Flag\na@example.com;Ann,A;1\n')
    const detected = await inspectSource(path)
    expect(detected.delimiter).toBe(';')
    const overridden = await inspectSource(path, { delimiter: ',' })
    expect(overridden.delimiter).toBe(',')
    expect(overridden.delimiterDetected).toBe(';')
    expect(overridden.columns.map((c) => c.name)).toEqual(['Email;Name', 'Alias;Flag'])
  })
})
