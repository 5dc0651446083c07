import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { OFFICIAL_SOURCE, OPERATIONS, trim } from '../../../electron/services/constant-contact/openapi/trim'

const trimmedPath = new URL('../../../electron/services/constant-contact/openapi/cc-v3-trimmed.yaml', import.meta.url)

describe('the trimmed official description', () => {
  it('is what trim.ts makes from the official file (run npm run gen:cc-types after changing it)', () => {
    const committed = parse(readFileSync(trimmedPath, 'utf8'))
    const { doc } = trim(readFileSync(OFFICIAL_SOURCE, 'utf8'))
    expect(committed).toEqual(doc)
  })

  it('comes from the verbatim official file kept in the repository, as its header says', () => {
    const sha256 = createHash('sha256').update(readFileSync(OFFICIAL_SOURCE)).digest('hex')
    expect(readFileSync(trimmedPath, 'utf8')).toContain(`source file sha256 ${sha256}.`)
  })

  it('holds exactly the operations Splitsend uses, with no descriptions', () => {
    const doc = parse(readFileSync(trimmedPath, 'utf8')) as { paths: Record<string, Record<string, unknown>> }
    const present = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => k !== 'parameters')
        .map((m) => `${m} ${path}`),
    )
    expect(present.sort()).toEqual(OPERATIONS.map(([p, m]) => `${m} ${p}`).sort())
    expect(readFileSync(trimmedPath, 'utf8')).not.toMatch(/^\s+description: (?!"")\S/m)
    expect(readFileSync(trimmedPath, 'utf8')).toMatch(/^# Origin: Constant Contact's official V3 API description/m)
  })
})
