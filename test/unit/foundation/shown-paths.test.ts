import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCommand } from '../cli-run'
import { createAppServices } from '../../../electron/services/app-services'
import { dispatchRequest, type Handlers } from '../../../electron/services/contract-dispatch'
import { shownPath } from '../../../electron/services/jobs/locations'
import { tempDir } from '../temp'

const run = runCommand

describe('paths in messages', () => {
  it('inside the data folder by their place there, below the working folder as typed, else in full', () => {
    expect(shownPath('/home/ann/.local/share/Splitsend/jobs/june', '/home/ann/.local/share/Splitsend', '/')).toBe(
      '“jobs/june” in Splitsend’s data folder',
    )
    expect(shownPath('/work/lists/june.csv', '/data', '/work')).toBe('“lists/june.csv”')
    expect(shownPath('/elsewhere/june.csv', '/data', '/work')).toBe('“/elsewhere/june.csv”')
    expect(shownPath('/data-old/june', '/data', '/work')).toBe('“/data-old/june”')
  })

  it('the command names a folder given relative as it was typed, one in the data folder by its place', async () => {
    const dataDir = tempDir('data')
    process.env.SPLITSEND_DATA_DIR = dataDir
    try {
      const work = tempDir('work')
      mkdirSync(join(work, 'lists', 'june'), { recursive: true })
      const cwd = process.cwd()
      process.chdir(work)
      try {
        const relativeRun = await run('send', join('lists', 'june'), '--now')
        expect(relativeRun.code).toBe(2)
        expect(relativeRun.stderr).toContain('The folder “lists/june” does not hold a prepared job.')
        expect(relativeRun.stderr).not.toContain(work)
      } finally {
        process.chdir(cwd)
      }
      const inData = join(dataDir, 'jobs', 'june')
      mkdirSync(inData, { recursive: true })
      const dataRun = await run('send', inData, '--now')
      expect(dataRun.stderr).toContain(
        'The folder “jobs/june” in Splitsend’s data folder does not hold a prepared job.',
      )
      expect(dataRun.stderr).not.toContain(dataDir)
    } finally {
      delete process.env.SPLITSEND_DATA_DIR
    }
  })

  it('the app never shows where its data folder is', async () => {
    const dataDir = tempDir('data')
    process.env.SPLITSEND_DATA_DIR = dataDir
    const services = createAppServices({ host: 'web', version: '1', emit: () => {} })
    try {
      mkdirSync(join(dataDir, 'jobs', 'half-a-job'))
      const envelope = await dispatchRequest(
        services.handlers as unknown as Handlers,
        'prepare.page',
        { jobId: 'half-a-job', query: { kind: 'group0', offset: 0, limit: 10 } },
        () => {},
      )
      expect(envelope).toMatchObject({
        ok: false,
        error: { message: 'The folder “jobs/half-a-job” in Splitsend’s data folder does not hold a prepared job.' },
      })
    } finally {
      delete process.env.SPLITSEND_DATA_DIR
      await services.dispose()
    }
  })
})
