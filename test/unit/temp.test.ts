import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { tempDir } from './temp'

// The folders tests work in (temp.ts): inside one folder per test file, removed with the test.
const fileLevel = tempDir('file-level')
let madeInTest = ''
const madeConcurrently: string[] = []

describe('temporary folders', () => {
  it('are made inside the test file’s own folder in the OS temp folder', () => {
    madeInTest = tempDir('in-test')
    expect(dirname(madeInTest)).toBe(dirname(fileLevel))
    expect(dirname(dirname(madeInTest))).toBe(tmpdir())
    expect(existsSync(madeInTest)).toBe(true)
  })

  it('are removed when the test that made them ends; those made at file level stay until the file ends', () => {
    expect(madeInTest).not.toBe('')
    expect(existsSync(madeInTest)).toBe(false)
    expect(existsSync(fileLevel)).toBe(true)
  })

  describe.concurrent('made in concurrent tests', () => {
    for (const name of ['a', 'b'])
      it(`stay until the file ends (${name})`, async () => {
        madeConcurrently.push(tempDir(`concurrent-${name}`))
        await new Promise((resolve) => setImmediate(resolve))
      })
  })

  it('…and are still there after their tests', () => {
    expect(madeConcurrently).toHaveLength(2)
    for (const dir of madeConcurrently) expect(existsSync(dir)).toBe(true)
  })
})
