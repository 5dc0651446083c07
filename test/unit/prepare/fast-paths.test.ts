import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addressHashOfBytes, AddressTable } from '../../../electron/services/prepare/address-table'
import { AddressBook, RowClassifier } from '../../../shared/prepare/classify'
import { PassClassifier } from '../../../electron/services/prepare/pass-classifier'
import { csvField, csvLine, csvRecord } from '../../../electron/services/spreadsheet/csv-text'
import { checkEmail } from '../../../shared/prepare/email'
import {
  NOT_PLAIN,
  PLAIN_LOWER,
  plainAddress,
  plainAddressKind,
} from '../../../electron/services/prepare/plain-address'

/** The plain way to write a record, which the fast path must match byte for byte. */
const slowRecord = (cells: string[]): string => `${cells.map(csvField).join(',')}\r\n`

/** FNV-1a over UTF-16 code units, as the address table hashes a text. */
function addressHashOfText(text: string): number {
  let hash = 0x811c9dc5 | 0
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
  return hash
}

const addressLike = fc.stringMatching(/^[A-Za-z0-9._%+'&*=?^`{|}~!#$/\-@:<> \u00e9\u00a0]{0,30}$/)

describe('address table', () => {
  it('keeps addresses apart when every hash collides', () => {
    const table = new AddressTable(() => 42)
    const words = ['a@x.com', 'b@x.com', 'a@x.co', 'ü@x.com', '\u4e2d@x.com', 'a@x.com2']
    const ids = words.map((w) => table.id(w))
    expect(new Set(ids).size).toBe(words.length)
    words.forEach((w, i) => {
      expect(table.id(w)).toBe(ids[i])
      expect(table.added).toBe(false)
      expect(table.text(ids[i]!)).toBe(w)
    })
  })

  it('gives one id per distinct text and returns the text (property, with weak hashes and growth)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 400 }),
        fc.integer({ min: 1, max: 7 }),
        (texts, buckets) => {
          const table = new AddressTable((text) => text.length % buckets)
          const seen = new Map<string, number>()
          for (const text of texts) {
            const id = table.id(text)
            expect(table.added).toBe(!seen.has(text))
            if (!seen.has(text)) seen.set(text, id)
            expect(id).toBe(seen.get(text))
          }
          expect(table.count).toBe(seen.size)
          for (const [text, id] of seen) expect(table.text(id)).toBe(text)
        },
      ),
    )
  })

  it('finds an address given as bytes (with its hash) under the same id as given as text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9.]{1,6}@[a-z]{1,4}\.(com|de)$/), { maxLength: 300 }),
        fc.array(fc.boolean(), { maxLength: 300 }),
        (addresses, asBytes) => {
          const table = new AddressTable()
          const ids = new Map<string, number>()
          addresses.forEach((address, i) => {
            let id: number
            if (asBytes[i]) {
              const bytes = new Uint8Array(address.length + 3)
              bytes.set(Buffer.from(address, 'latin1'), 3)
              expect(addressHashOfBytes(bytes, 3, address.length)).toBe(addressHashOfText(address))
              id = table.idBytes(bytes, 3, address.length, addressHashOfBytes(bytes, 3, address.length))
            } else id = table.id(address)
            expect(table.added).toBe(!ids.has(address))
            if (!ids.has(address)) ids.set(address, id)
            expect(id).toBe(ids.get(address))
            expect(table.text(id)).toBe(address)
          })
        },
      ),
    )
  })

  it('stores more addresses than one block holds', () => {
    const table = new AddressTable()
    const count = 60_000 // about 1.3 MB of text
    for (let i = 0; i < count; i++) table.id(`someone.${i}@example${i % 7}.com`)
    expect(table.count).toBe(count)
    for (let i = 0; i < count; i += 997) {
      const id = table.id(`someone.${i}@example${i % 7}.com`)
      expect(table.added).toBe(false)
      expect(table.text(id)).toBe(`someone.${i}@example${i % 7}.com`)
    }
  })
})

describe('fast paths agree with the plain rules', () => {
  it('plainAddress only accepts what checkEmail accepts, with the same address (property)', () => {
    const check = (raw: string): void => {
      const fast = plainAddress(raw)
      if (fast === null) return
      expect(checkEmail(raw)).toEqual({ kind: 'valid', address: fast })
    }
    fc.assert(fc.property(addressLike, check), { numRuns: 3000 })
    fc.assert(
      fc.property(
        fc.tuple(fc.stringMatching(/^[a-zA-Z0-9.\-_+]{0,10}$/), fc.stringMatching(/^[a-zA-Z0-9.-]{0,12}$/)),
        ([local, domain]) => check(`${local}@${domain}`),
      ),
      { numRuns: 3000 },
    )
  })

  it('plainAddressKind says what plainAddress does for a piece of a longer text, and writes the address (property)', () => {
    fc.assert(
      fc.property(addressLike, fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), (raw, before, after) => {
        const text = `${before}${raw}${after}`
        const into = { bytes: new Uint8Array(raw.length + 2), at: 2, hash: 0 }
        const kind = plainAddressKind(text, before.length, before.length + raw.length, into)
        const address = plainAddress(raw)
        expect(kind === NOT_PLAIN).toBe(address === null)
        if (address === null) return
        expect(kind === PLAIN_LOWER).toBe(address === raw)
        expect(Buffer.from(into.bytes.subarray(2)).toString('latin1')).toBe(address)
        expect(into.hash).toBe(addressHashOfBytes(into.bytes, 2, address.length))
        expect(plainAddressKind(text, before.length, before.length + raw.length)).toBe(kind)
      }),
      { numRuns: 3000 },
    )
  })

  it('plainAddress takes the usual addresses and leaves the unusual ones to checkEmail', () => {
    expect(plainAddress('anna.smith@example.com')).toBe('anna.smith@example.com')
    expect(plainAddress('Anna.Smith@Example.COM')).toBe('anna.smith@example.com')
    expect(plainAddress("o'brien+news@mail.example.co.uk")).toBe("o'brien+news@mail.example.co.uk")
    for (const raw of [
      '',
      ' a@b.com',
      '<a@b.com>',
      'mailto:a@b.com',
      'a@b',
      'a@b.c',
      'a@b.c0m',
      '.a@b.com',
      'a.@b.com',
      'a..b@c.com',
      'a@-b.com',
      'a@b-.com',
      'a@b..com',
      'a@@b.com',
      'anna@bücher.de',
      'a@xn--p1ai.xn--p1ai',
    ]) {
      expect(plainAddress(raw)).toBeNull()
    }
  })

  it('csvLine/csvRecord write exactly what quoting each field would (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z,"\r\n é]{0,6}$/), { maxLength: 6 }), (cells) => {
        expect(csvRecord(cells)).toBe(cells.length === 0 ? '\r\n' : slowRecord(cells))
        expect(`${csvLine(cells)}\r\n`).toBe(csvRecord(cells))
      }),
      { numRuns: 2000 },
    )
  })

  it('classifyRow decides every row as classify does (property)', () => {
    const cell = fc.constantFrom(
      '',
      ' ',
      '0',
      '1',
      'yes',
      ' N ',
      'maybe',
      'a@example.com',
      'A@Example.com',
      'b@example.com',
      ' b@example.com',
      '<c@example.com>',
      'bad@',
      'x@y.z',
    )
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell), { maxLength: 60 }),
        fc.constantFrom('exclude', 'first', 'last' as const),
        (pairs, onConflict) => {
          const options = {
            mapping: { emailColumn: 0, flagColumn: 1, fields: [] },
            onConflict,
            group1Values: ['maybe'],
          }
          const slow = new RowClassifier(options)
          const fast = new PassClassifier(options)
          pairs.forEach(([email, flag], i) => {
            const verdict = slow.classify([email, flag], i + 2)
            const id = fast.classifyRow([email, flag], i + 2)
            if (verdict.kind === 'candidate') {
              expect(id).toBe(verdict.addressId)
              expect(fast.address).toBe(verdict.address)
              expect(fast.group).toBe(verdict.group)
              expect(fast.addresses.firstInGroup).toBe(verdict.firstInGroup)
            } else {
              expect(id).toBe(-1)
              expect(fast.verdict).toEqual(verdict)
            }
          })
          expect(fast.flagValues.list(fast.flagRules)).toEqual(slow.flagValues.list(slow.flagRules))
        },
      ),
    )
  })

  it('a conflict is settled early only when no later row can change it', () => {
    for (const policy of ['exclude', 'first', 'last'] as const) {
      const book = new AddressBook(policy)
      const id = book.record('a@example.com', '0', 2)
      expect(book.seenInOtherGroup).toBe(false)
      book.record('a@example.com', '1', 3)
      expect(book.seenInOtherGroup).toBe(true)
      expect(book.isSettledConflict(id, '1')).toBe(policy !== 'last')
      if (book.isSettledConflict(id, '1'))
        expect(book.resolve(id, '1', true)).toBe(policy === 'exclude' ? 'conflicting_flag' : 'overruled_flag')
      expect(book.isSettledConflict(id, '0')).toBe(policy === 'exclude')
    }
  })
})
