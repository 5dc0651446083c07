import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AccountService } from '../../../electron/services/account/index'
import { createSendHandlers } from '../../../electron/services/send/handlers'
import { preparedJob } from '../upload/helpers'

async function sendJob() {
  const job = await preparedJob({ group0: 2, group1: 2, tag: 'groups' })
  const { handlers } = createSendHandlers({
    account: {} as AccountService, // not asked: the job's groups are read from its folder
    jobsDir: dirname(job.dir),
    emit: () => {},
  })
  const summaryFile = join(job.dir, 'summary.json')
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'))
  return { ask: () => handlers['send.job']({ jobId: basename(job.dir) }), summaryFile, summary }
}

describe('the Send step’s view of a job’s groups', () => {
  it('names the groups as the person did, and Map’s defaults for a name left empty', async () => {
    const { ask, summaryFile, summary } = await sendJob()
    writeFileSync(summaryFile, JSON.stringify({ ...summary, groupNames: { '0': 'Members', '1': '' } }))
    expect((await ask()).groupNames).toEqual({ '0': 'Members', '1': 'Flag 1' })
  })

  it('says which file is damaged and what to do, instead of making up names, when summary.json is damaged', async () => {
    const { ask, summaryFile, summary } = await sendJob()
    for (const damaged of [
      { ...summary, groupNames: { '0': 7 } },
      { ...summary, groupNames: undefined },
    ]) {
      writeFileSync(summaryFile, JSON.stringify(damaged))
      await expect(ask()).rejects.toMatchObject({
        code: 'job_damaged',
        message: expect.stringContaining('groupNames'),
        hint: expect.stringContaining('Prepare the spreadsheet again'),
      })
    }
    writeFileSync(summaryFile, '{"groupNames": {"0": "Mem')
    await expect(ask()).rejects.toMatchObject({ code: 'job_damaged', message: expect.stringContaining('summary.json') })
    rmSync(summaryFile)
    await expect(ask()).rejects.toMatchObject({ code: 'job_not_found' })
  })
})
