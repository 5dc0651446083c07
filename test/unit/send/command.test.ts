import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../../electron/services/cc-simulator/index'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { prepareJob } from '../../../electron/services/prepare/pass'
import { uploadJournalOutcomes } from '../../../electron/services/send/index'
import { planUpload } from '../../../electron/services/upload/plan'
import { tempDir } from '../constant-contact/helpers'
import { runCommand } from '../cli-run'
import { signedInCommandAccount } from '../command-account'
import { privateKeychain } from '../keychain'
import { upload } from '../upload/helpers'
import { CAMPAIGN_X, CAMPAIGN_Y } from './helpers'

// The command keeps its sign-in in the OS keychain: run under test/with-keychain.sh.
const inKeychainSession = process.env.SPLITSEND_IN_KEYCHAIN_SESSION === '1'
privateKeychain()

const run = runCommand

describe.skipIf(!inKeychainSession)('splitsend send (prepared and uploaded job, local Constant Contact)', () => {
  let sim: RunningSimulator
  let client: CcClient
  let jobDir: string
  let endpointArgs: string[]
  let closeAccount: () => Promise<void>
  const activityOf = (name: string) => {
    const campaign = sim.control.snapshot().campaigns.find((c) => c.name === name)!
    return campaign.activity_ids.find((a) => a.role === 'primary_email')!.campaign_activity_id
  }
  const history = (name: string) => sim.control.campaignActivity(activityOf(name))!.send_history
  const schedulePosts = () =>
    sim.control.requests().filter((r) => r.method === 'POST' && /\/schedules$/.test(r.path)).length

  beforeAll(async () => {
    let account
    ;({
      sim,
      account,
      endpointArgs,
      close: closeAccount,
    } = await signedInCommandAccount('send-command-test', {
      speed: 'fast',
    }))
    client = await account.client()

    jobDir = await uploadedJob('CLI group')
  }, 60_000)

  /** A small spreadsheet prepared and uploaded with the upload engine, as the person would, to two new lists. */
  async function uploadedJob(listNames: string): Promise<string> {
    const source = join(tempDir('send-cli-src'), 'members.csv')
    writeFileSync(
      source,
      'email,flag\nann@office.example,0\nbob@office.example,1\ncat@office.example,0\ndan@office.example,0\neve@office.example,1\n',
    )
    const dir = tempDir('send-cli-job')
    const inspection = await inspectSource(source)
    await prepareJob(source, { mapping: inspection.suggestion.mapping }, dir)
    const plan = await planUpload(dir, client, {
      lists: { '0': { kind: 'name', name: `${listNames} 0` }, '1': { kind: 'name', name: `${listNames} 1` } },
      createLists: true,
      createCustomFields: true,
    })
    expect(plan.blockers).toEqual([])
    const uploaded = await upload(dir, client, { plan }).done
    expect(uploaded.outcome).toBe('all_added')
    return dir
  }

  afterAll(async () => {
    await closeAccount?.()
  })

  it('reads the upload’s lists and counts from the upload journal', async () => {
    const outcomes = await uploadJournalOutcomes(jobDir)
    expect(outcomes).toEqual([
      { group: '0', listId: expect.any(String), listName: 'CLI group 0', contactsAdded: 3, finished: true },
      { group: '1', listId: expect.any(String), listName: 'CLI group 1', contactsAdded: 2, finished: true },
    ])
    expect(sim.control.listMembers(outcomes[0]!.listId).sort()).toEqual([
      'ann@office.example',
      'cat@office.example',
      'dan@office.example',
    ])
  })

  it('refuses wrong options with a usage error', async () => {
    expect(
      (await run('send', jobDir, '--campaign-0', CAMPAIGN_X, '--now', '--at', '2099-01-01T09:00Z', ...endpointArgs))
        .code,
    ).toBe(2)
    expect((await run('send', jobDir, ...endpointArgs)).stderr).toContain(
      'Say which campaign to send with --campaign-0 and/or --campaign-1.',
    )
    const past = await run('send', jobDir, '--campaign-0', CAMPAIGN_X, '--at', '2001-01-01T09:00Z', ...endpointArgs)
    expect(past.code).toBe(2)
    expect(past.stderr).toContain('The time to send is already past.')
    const tooMany = await run(
      'send',
      jobDir,
      '--campaign-0',
      CAMPAIGN_X,
      '--test-to',
      'a@x.co,b@x.co,c@x.co,d@x.co,e@x.co,f@x.co',
      ...endpointArgs,
    )
    expect(tooMany.stderr).toContain('A test can go to at most 5 addresses at a time; you entered 6.')
  })

  it('without --now or --at it only checks', async () => {
    const result = await run('send', jobDir, '--campaign-0', CAMPAIGN_X, '--campaign-1', CAMPAIGN_Y, ...endpointArgs)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(
      `Group 0: “${CAMPAIGN_X}” — subject “Our spring update”, from Practice Organization <news@practice.example>`,
    )
    expect(result.stdout).toContain('✓ Upload finished: The upload finished and added 3 contacts to “CLI group 0”.')
    expect(result.stdout).toContain('All checks passed. Nothing was sent to the lists')
    expect(schedulePosts()).toBe(0)
  })

  it('refuses with the reason when a check fails, and sends neither campaign', async () => {
    // Someone scheduled campaign Y in Constant Contact already.
    const y = activityOf(CAMPAIGN_Y)
    const activity = await client.getEmailCampaignActivity(y)
    await client.updateEmailCampaignActivity(y, {
      ...activity,
      contact_list_ids: [(await uploadJournalOutcomes(jobDir))[1]!.listId],
    })
    await client.scheduleEmailCampaignActivity(y, '2099-05-01T12:00:00.000Z')
    const result = await run(
      'send',
      jobDir,
      '--campaign-0',
      CAMPAIGN_X,
      '--campaign-1',
      CAMPAIGN_Y,
      '--now',
      ...endpointArgs,
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `✗ Not already scheduled: “${CAMPAIGN_Y}” is already scheduled to go out at 2099-05-01T12:00:00.000Z (UTC).`,
    )
    expect(result.stdout).toContain('Nothing was sent: fix what is marked ✗ above')
    expect(schedulePosts()).toBe(1) // only the test's own schedule
    expect(history(CAMPAIGN_X)).toEqual([])
    await client.unscheduleEmailCampaignActivity(y)
  })

  it('tests, then sends each campaign to its group’s list once, and adds the sends to the report', async () => {
    const before = schedulePosts()
    const result = await run(
      'send',
      jobDir,
      '--campaign-0',
      CAMPAIGN_X,
      '--campaign-1',
      CAMPAIGN_Y,
      '--now',
      '--test-to',
      'me@office.example',
      ...endpointArgs,
    )
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toContain(`Test of “${CAMPAIGN_X}” sent to me@office.example.`)
    expect(result.stdout).toContain(`Sending “${CAMPAIGN_X}” to the list “CLI group 0” (3 contacts) now…`)
    expect(result.stdout).toMatch(
      new RegExp(
        `Group 1: “${CAMPAIGN_Y}” to the list “CLI group 1” \\(2 contacts\\): sent now, went out on .*send #1, 2 recipients\\.`,
      ),
    )
    expect(schedulePosts()).toBe(before + 2)
    expect(history(CAMPAIGN_X)).toHaveLength(1)
    expect(history(CAMPAIGN_Y)).toHaveLength(1)
    expect(sim.control.testSends().map((t) => t.email_addresses)).toEqual([
      ['me@office.example'],
      ['me@office.example'],
    ])
    const html = readFileSync(join(jobDir, 'report.html'), 'utf8')
    expect(html).toContain('Sends')
    expect(html).toContain(CAMPAIGN_X)
    expect(html).toContain('send #1, 3 recipients')
  }, 60_000)

  it('a re-run sends nothing again and says what was sent', async () => {
    const before = schedulePosts()
    const tests = sim.control.testSends().length
    const result = await run(
      'send',
      jobDir,
      '--campaign-0',
      CAMPAIGN_X,
      '--campaign-1',
      CAMPAIGN_Y,
      '--now',
      '--test-to',
      'me@office.example',
      '--json',
      ...endpointArgs,
    )
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(
      json.groups.map((g: { alreadyDone: boolean; state: { phase: string } }) => [g.alreadyDone, g.state.phase]),
    ).toEqual([
      [true, 'sent'],
      [true, 'sent'],
    ])
    expect(schedulePosts()).toBe(before)
    expect(sim.control.testSends()).toHaveLength(tests)
    expect(history(CAMPAIGN_X)).toHaveLength(1)

    const other = await run('send', jobDir, '--campaign-0', CAMPAIGN_Y, '--now', ...endpointArgs)
    expect(other.code).toBe(1)
    expect(other.stdout).toContain(`Group 0: This job already sent “${CAMPAIGN_X}” to group 0.`)
    expect(schedulePosts()).toBe(before)
  })

  it('a campaign Constant Contact can’t re-address: refused with what to do; with --copy a dated copy is sent, once', async () => {
    const APRIL = 'Practice: April offer (sent, custom code)'
    const job = await uploadedJob('CLI copy group')
    const refused = await run('send', job, '--campaign-0', APRIL, '--now', ...endpointArgs)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain(`✗ Campaign can be sent: “${APRIL}” can’t be sent to this group’s list as it is.`)
    expect(refused.stdout).toContain('Send a copy instead')
    const json = JSON.parse((await run('send', job, '--campaign-0', APRIL, '--now', '--json', ...endpointArgs)).stdout)
    expect(json.groups[0].error.hint).toContain('run the command again with --copy')

    const sent = await run('send', job, '--campaign-0', APRIL, '--now', '--copy', ...endpointArgs)
    expect(sent.code, `${sent.stdout}\n${sent.stderr}`).toBe(0)
    const copyName = /a copy was made: “([^”]+)”/.exec(sent.stdout)?.[1]
    expect(copyName).toMatch(new RegExp(`^${APRIL.replace(/[()]/g, '\\$&')} – \\d{4}-\\d{2}-\\d{2}$`))
    expect(sent.stdout).toContain('It is a custom-code email, like the original.')
    expect(sent.stdout).toContain(`(a copy of “${APRIL}”) to the list “CLI copy group 0” (3 contacts): sent now`)
    expect(history(copyName!)).toHaveLength(1)

    const again = await run('send', job, '--campaign-0', APRIL, '--now', '--copy', ...endpointArgs)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('Group 0: already done by this job, not sent again.')
    expect(history(copyName!)).toHaveLength(1)
    expect(sim.control.snapshot().campaigns.filter((c) => c.name === copyName)).toHaveLength(1)
  }, 60_000)
})
