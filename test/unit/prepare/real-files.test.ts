import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { writeFile } from './helpers'

describe('what Import says of a large file from its first rows', () => {
  it('estimates the row count from the bytes the sampled rows take, not from the bytes read', async () => {
    // 60,000 rows of about 45 bytes: the first 1,000 rows are read from the first 64 KB piece. (They
    // are a little shorter than the rest, as in many real files: hence a few per cent too many.)
    const lines = ['Email,Flag,Name']
    for (let i = 0; i < 60_000; i++) lines.push(`person${i}@example.com,${i % 2},Name ${i % 97}`)
    const inspection = await inspectSource(writeFile('big.csv', `${lines.join('\r\n')}\r\n`))
    expect(inspection.complete).toBe(false)
    expect(Math.abs(inspection.estimatedRows! - 60_000) / 60_000).toBeLessThan(0.1)
  })
})
