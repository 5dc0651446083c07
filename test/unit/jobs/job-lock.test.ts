import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireJobLock } from '../../../electron/services/jobs/job-lock'
import { tempDir } from '../temp'

/** A send lock in a new job folder, last written `ageMs` ago. */
function lockWith(content: string, ageMs: number): { dir: string; lock: string } {
  const dir = tempDir('lock')
  const lock = join(dir, 'send.lock')
  writeFileSync(lock, content)
  const then = (Date.now() - ageMs) / 1000
  utimesSync(lock, then, then)
  return { dir, lock }
}

const holder = {
  pid: process.ppid,
  host: hostname(),
  token: 'theirs',
  since: new Date().toISOString(),
  purpose: 'send',
}

describe('a job lock that names no holder that can be checked', () => {
  it.each([
    ['no computer', { ...holder, host: undefined }],
    ['a process number that is text', { ...holder, pid: String(process.ppid) }],
    ['no token', { ...holder, token: undefined }],
    ['a list', [holder]],
  ])('is taken over once it is older than a few seconds when it has %s', async (_, content) => {
    const { dir, lock } = lockWith(JSON.stringify(content), 60_000)
    const taken = await acquireJobLock(dir, 'send')
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() })
    taken.release()
    expect(existsSync(lock)).toBe(false)
  })

  it('is respected while it is new (its process may still be writing it), and never names a computer', async () => {
    const { dir } = lockWith(JSON.stringify({ ...holder, host: undefined }), 0)
    const refused = await acquireJobLock(dir, 'send').catch((error: unknown) => error)
    expect(refused).toMatchObject({ code: 'send_busy', message: expect.not.stringContaining('computer') })
  })

  it('a whole lock of a live process on this computer is still respected', async () => {
    const { dir, lock } = lockWith(JSON.stringify(holder), 60_000)
    await expect(acquireJobLock(dir, 'send')).rejects.toMatchObject({ code: 'send_busy' })
    expect(readFileSync(lock, 'utf8')).toContain('theirs')
  })
})
