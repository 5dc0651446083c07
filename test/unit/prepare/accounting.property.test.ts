import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { prepareJob } from '../../../electron/services/prepare/pass'
import { AddressBook } from '../../../shared/prepare/classify'
import { AddressTable } from '../../../electron/services/prepare/address-table'
import { PROBLEM_REASONS, type ConflictPolicy } from '../../../shared/prepare/schemas'
import { readCsv, tempDir, writeFile } from './helpers'

// Cells drawn from a small pool so that duplicates, conflicts and every problem show up often.
const email = fc.constantFrom(
  'ann@example.com',
  'ANN@example.com',
  'bob@example.com',
  ' cy@example.com',
  '<di@example.com>',
  'bad@',
  '',
  'x y@example.com',
  'eve@example.com',
)
const flag = fc.constantFrom('0', '1', 'yes', 'no', '', 'maybe', ' 1 ', 'TRUE')
const note = fc.constantFrom('', 'plain', 'with, comma', 'with "quotes"', 'two\nlines', '=SUM(A1)')
const row = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(email, flag, note).map(([e, f, n]) => [e, f, n]) },
  { weight: 1, arbitrary: fc.constant(['', '', '']) }, // a blank row
  { weight: 1, arbitrary: fc.constant(['broken@example.com', '1', '"unterminated']) }, // becomes malformed
)
const policy = fc.constantFrom<ConflictPolicy>('exclude', 'first', 'last')

const quote = (cell: string): string =>
  cell.startsWith('"') ? cell : /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell

describe('accounting: every data row ends in exactly one place', () => {
  it('rows = group 0 + group 1 + the problems, and each row number appears once (property over generated files)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), policy, async (rows, onConflict) => {
        const text = `Email,Flag,Note\n${rows.map((cells) => cells.map(quote).join(',')).join('\n')}\n`
        const path = writeFile('generated.csv', text)
        const outDir = tempDir()
        const summary = await prepareJob(
          path,
          {
            headerRow: 1,
            delimiter: ',',
            mapping: {
              emailColumn: 0,
              flagColumn: 1,
              fields: [{ column: 2, target: { kind: 'custom', name: 'note' } }],
            },
            onConflict,
          },
          outDir,
        )
        const problemTotal = PROBLEM_REASONS.reduce((sum, reason) => sum + summary.problems[reason], 0)
        expect(summary.groups['0'] + summary.groups['1'] + problemTotal).toBe(summary.rows)

        // The same from the files themselves, through the row numbers in the indexes and problems.csv.
        const rowsOf = (index: string): number[] => {
          const bytes = readFileSync(join(outDir, index))
          return Array.from({ length: bytes.length / 16 }, (_, i) => bytes.readUInt32LE(i * 16 + 8))
        }
        const problems = readCsv(join(outDir, 'problems.csv')).slice(1)
        const placed = [...rowsOf('group-0.idx'), ...rowsOf('group-1.idx'), ...problems.map((p) => Number(p[0]))]
        expect(placed.length).toBe(summary.rows)
        expect(new Set(placed).size).toBe(placed.length)
        // Problems come out in row order.
        const problemRowNumbers = problems.map((p) => Number(p[0]))
        expect(problemRowNumbers).toEqual([...problemRowNumbers].sort((a, b) => a - b))
        // No address is in both groups, and none twice in one group.
        const addresses = [
          ...readCsv(join(outDir, 'group-0.csv')).slice(1),
          ...readCsv(join(outDir, 'group-1.csv')).slice(1),
        ].map((r) => r[0])
        expect(new Set(addresses).size).toBe(addresses.length)
      }),
      { numRuns: 60 },
    )
  })

  it('the address book resolves every candidate to exactly one outcome (property over row sequences)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom<'0' | '1'>('0', '1')), { maxLength: 200 }),
        policy,
        (entries, onConflict) => {
          const book = new AddressBook(onConflict, new AddressTable())
          const added = entries.map(([address, group], i) => ({
            group,
            ...book.add(`a${address}@example.com`, group, i + 2),
          }))
          const outcomes = added.map((a) => book.resolve(a.addressId, a.group, a.firstInGroup))
          // At most one row per address ends in a group, and only if the address is unambiguous or the policy picks it.
          const inGroup = new Map<number, number>()
          added.forEach((a, i) => {
            if (outcomes[i] === 'group') inGroup.set(a.addressId, (inGroup.get(a.addressId) ?? 0) + 1)
          })
          for (const count of inGroup.values()) expect(count).toBe(1)
          const groupsOf = new Map<number, Set<string>>()
          for (const a of added) groupsOf.set(a.addressId, (groupsOf.get(a.addressId) ?? new Set()).add(a.group))
          for (const [id, groups] of groupsOf) {
            if (groups.size === 1) expect(inGroup.get(id)).toBe(1)
            else expect(inGroup.has(id)).toBe(onConflict !== 'exclude')
          }
        },
      ),
    )
  })
})
