/** A large generated contact list and its prepared job, for the benchmarks (upload.ts, report.ts). */
import { closeSync, openSync, writeSync } from 'node:fs'
import { prepareJob } from '../../electron/services/prepare/pass'
import type { PrepareSummary } from '../../electron/services/prepare/job-files'
import { seededRandom } from './seeded-random'

/** Writes a CSV of `rows` contacts (email, flag, first/last name, city) to `path`; two groups of about half each. */
export function generateContactsCsv(path: string, rows: number): void {
  const rnd = seededRandom(42)
  const FIRST = ['Anna', 'Bruno', 'Chloé', 'David', 'Emma', 'François', 'Greta', 'Hugo', 'Inès', 'Jonas']
  const LAST = ['Smith', 'Müller', 'García', 'Rossi', 'Dubois', 'Jansen', 'Nowak', 'Silva', "O'Brien", 'Lindqvist']
  const CITY = ['Paris', 'Berlin', 'Madrid', 'Rome', 'Amsterdam', 'Lisbon', 'Vienna', 'Zürich', 'New York', 'Toronto']
  const fd = openSync(path, 'w')
  const pick = (list: string[]): string => list[Math.floor(rnd() * list.length)]!
  let chunk = 'Email,Flag,First Name,Last Name,City\r\n'
  for (let i = 0; i < rows; i++) {
    chunk += `person${i}@example${i % 97}.com,${rnd() < 0.5 ? 0 : 1},${pick(FIRST)},"${pick(LAST)}",${pick(CITY)}\r\n`
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk)
      chunk = ''
    }
  }
  writeSync(fd, chunk)
  closeSync(fd)
}

/** The columns of the contacts file: email, flag, first and last name, city. */
export const CONTACTS_MAPPING = {
  emailColumn: 0,
  flagColumn: 1,
  fields: [
    { column: 2, target: { kind: 'field' as const, field: 'first_name' as const } },
    { column: 3, target: { kind: 'field' as const, field: 'last_name' as const } },
    { column: 4, target: { kind: 'field' as const, field: 'city' as const } },
  ],
}

/** Prepares the CSV into `jobDir` (email, flag, first and last name, city). */
export async function prepareContacts(csv: string, jobDir: string): Promise<PrepareSummary> {
  return prepareJob(csv, { mapping: CONTACTS_MAPPING, headerRow: 1, delimiter: ',', encoding: 'utf-8' }, jobDir)
}
