import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCommand } from '../cli-run'
import { signedInCommandAccount } from '../command-account'
import { privateKeychain } from '../keychain'
import { preparedJob } from '../upload/helpers'
import { recordAcceptedSend } from './fixtures'

// The command keeps its sign-in in the OS keychain: run under test/with-keychain.sh.
const inKeychainSession = process.env.SPLITSEND_IN_KEYCHAIN_SESSION === '1'
privateKeychain()

const run = runCommand

describe.skipIf(!inKeychainSession)('the report the `upload` command writes', () => {
  let endpointArgs: string[]
  let closeAccount: () => Promise<void>

  beforeAll(async () => {
    ;({ endpointArgs, close: closeAccount } = await signedInCommandAccount('report-command-test'))
  })

  afterAll(async () => {
    await closeAccount?.()
  })

  it('keeps the Sends section when the upload is run again after a send', async () => {
    const job = await preparedJob({ group0: 3, group1: 2, problems: 1, tag: 'cmd' })
    const lists = ['--list-0', 'Report cmd 0', '--list-1', 'Report cmd 1', '--create-lists']
    const first = await run('upload', job.dir, ...lists, ...endpointArgs)
    expect(first.code, first.stderr).toBe(0)
    const html = () => readFileSync(join(job.dir, 'report.html'), 'utf8')
    expect(html()).not.toContain('<h2>Sends</h2>')

    // The send step records a send; then the person runs the upload command again.
    recordAcceptedSend(job.dir, '0', 'Campaign for group 0')
    const again = await run('upload', job.dir, ...lists, ...endpointArgs)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain(`Report: ${join(job.dir, 'report.html')}`)
    expect(html()).toContain('<h2>Sends</h2>')
    expect(html()).toContain('Campaign for group 0')
    expect(html()).toContain('The upload finished')
  })
})
