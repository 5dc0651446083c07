import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppServices } from '../../../electron/services/app-services'
import { acquireJobLock } from '../../../electron/services/jobs/job-lock'
import { appendEntry, newAttemptId } from '../../../electron/services/send/journal'
import { planUpload } from '../../../electron/services/upload/index'
import { runCommand } from '../cli-run'
import { connectedAccount, closeAfterEach } from '../constant-contact/helpers'
import { preparedJob, tempDir, upload } from '../upload/helpers'

// Modes mean nothing on Windows (a user's folders are the user's already).
const onPosix = process.platform === 'win32' ? describe.skip : describe

const closeLater = closeAfterEach()

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8)

/** Every folder under `dir` (itself included) and every file, with its mode, e.g. `group-0.csv 600`. */
function modesUnder(dir: string, name = '.'): string[] {
  const lines = [`${name}/ ${modeOf(dir)}`]
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) lines.push(...modesUnder(path, `${name}/${entry.name}`))
    else lines.push(`${name}/${entry.name} ${modeOf(path)}`)
  }
  return lines
}

const ownerOnly = (line: string): boolean => / (600|700)$/.test(line)

onPosix('a person’s data on a shared computer', () => {
  it('a prepared, uploaded and sent job: its folder and every file in it are the owner’s only', async () => {
    const ctx = await connectedAccount({ speed: 'instant', seed: 'practice' })
    closeLater(ctx.close)
    const client = await ctx.account.client()
    const job = await preparedJob({ group0: 3, group1: 2, problems: 1, tag: 'private' })
    const plan = await planUpload(job.dir, client, {
      lists: { '0': { kind: 'name', name: 'Private 0' }, '1': { kind: 'name', name: 'Private 1' } },
      createLists: true,
      createCustomFields: false,
    })
    const result = await upload(job.dir, client, { plan }).done
    expect(result.outcome).toBe('all_added')
    appendEntry(job.dir, { type: 'refused', attempt: newAttemptId(), code: 'test', message: 'A test entry.' })
    const lock = await acquireJobLock(job.dir, 'send')
    try {
      const lines = modesUnder(job.dir)
      // The job's own files are all there: the prepared groups, both journals, the report, the lock.
      for (const name of ['group-0.csv', 'summary.json', 'upload-journal.jsonl', 'send-journal.jsonl', 'report.csv'])
        expect(lines.join('\n')).toContain(`./${name} `)
      expect(lines.some((l) => l.includes('lock'))).toBe(true)
      expect(lines.filter((l) => !ownerOnly(l))).toEqual([])
      expect(lines[0]).toBe('./ 700')
    } finally {
      lock.release()
    }
  })

  it('a folder the person named that exists already keeps its permissions; the job’s files are theirs only', async () => {
    const out = tempDir('documents')
    chmodSync(out, 0o755)
    const source = join(tempDir('source'), 'contacts.csv')
    writeFileSync(source, 'Email,Flag\nann@example.com,1\n')
    expect((await runCommand('prepare', source, '--out', out)).code).toBe(0)
    const lines = modesUnder(out)
    expect(lines[0]).toBe('./ 755')
    expect(lines.slice(1).filter((l) => !ownerOnly(l))).toEqual([])
    expect(lines.length).toBeGreaterThan(4)
  })

  it('the data folder and its jobs folder become the owner’s only, also when an older Splitsend made them open', async () => {
    const dataDir = join(tempDir('home'), 'Splitsend')
    mkdirSync(join(dataDir, 'jobs'), { recursive: true })
    chmodSync(dataDir, 0o755)
    chmodSync(join(dataDir, 'jobs'), 0o755)
    const services = createAppServices({ host: 'web', version: '1', dataDir, emit: () => {} })
    closeLater(() => services.dispose())
    expect(modeOf(dataDir)).toBe('700')
    expect(modeOf(join(dataDir, 'jobs'))).toBe('700')
  })

  it('a folder made for a new data folder is the owner’s from the start', async () => {
    const dataDir = join(tempDir('home'), 'new', 'Splitsend')
    const services = createAppServices({ host: 'web', version: '1', dataDir, emit: () => {} })
    closeLater(() => services.dispose())
    expect(modesUnder(dataDir)).toEqual(['./ 700', './jobs/ 700'])
  })
})
