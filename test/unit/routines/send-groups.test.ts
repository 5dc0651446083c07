import { describe, expect, it } from 'vitest'
import { preflight } from '../../../electron/services/send/index'
import { sendRoutineGroups } from '../../../electron/services/routines/send-groups'
import { copyDate } from '../../../electron/services/send/copy-content'
import { CAMPAIGN_X, sendSetupPerTest } from '../send/helpers'

const setup = sendSetupPerTest()
const APRIL = 'Practice: April offer (sent, custom code)'
const BEING_SENT = 'Practice: volunteer thanks (being sent)'

// One rule for the command's run and the app's Send step of a routine's run (send-groups.ts).
describe('a routine’s sends', () => {
  it('send a dated copy of a campaign Constant Contact won’t send again, named as the confirmation said, after the test', async () => {
    const ctx = await setup()
    const checked = await preflight(ctx.jobDir, ctx.client, '0', ctx.idOf(APRIL), { uploads: ctx.uploads })
    const promised = checked.copy?.name
    expect(promised).toBe(`${APRIL} – ${copyDate(new Date())}`)

    const said: string[] = []
    const [sent] = await sendRoutineGroups(
      ctx.jobDir,
      ctx.client,
      [
        {
          group: '0',
          groupName: 'Not using the app',
          campaign: { id: ctx.idOf(APRIL), name: APRIL },
          listName: 'Spring group 0',
          when: 'now',
          testAddresses: ['office@example.com'],
        },
      ],
      { lockWaitMs: 0, uploads: ctx.uploads, say: (m) => said.push(m) },
    )

    const copyId = ctx.sim.control.snapshot().campaigns.find((c) => c.name === promised)!.campaign_id
    expect(sent!.campaign).toEqual({ id: copyId, name: promised })
    expect(sent!.copyOf).toEqual({ campaignId: ctx.idOf(APRIL), campaignName: APRIL })
    expect(sent!.result.state.phase).toBe('sent')
    expect(sent!.testSentTo).toEqual(['office@example.com'])
    // The test of the copy reached Constant Contact before the send of the copy.
    const copyActivity = ctx.sim.control
      .snapshot()
      .campaigns.find((c) => c.campaign_id === copyId)!
      .activity_ids.find((a) => a.role === 'primary_email')!.campaign_activity_id
    const paths = ctx.sim.control.requests().map((r) => `${r.method} ${r.path}`)
    const test = paths.indexOf(`POST /emails/activities/${copyActivity}/tests`)
    const schedule = paths.indexOf(`POST /emails/activities/${copyActivity}/schedules`)
    expect(test).toBeGreaterThan(-1)
    expect(schedule).toBeGreaterThan(test)
    expect(said.join('\n')).toContain(`so a copy was made: “${promised}”`)
    // Asked again (a retry, a second press), the same copy is named and nothing more is made.
    const again = await preflight(ctx.jobDir, ctx.client, '0', ctx.idOf(APRIL), { uploads: ctx.uploads })
    expect(again.copy?.name).toBe(promised)
    expect(ctx.campaignsNamed(promised!)).toBe(1)
  })

  it('send nothing, not even a test, when a check of any group blocks', async () => {
    const ctx = await setup()
    const attempt = sendRoutineGroups(
      ctx.jobDir,
      ctx.client,
      [
        {
          group: '0',
          groupName: 'Not using the app',
          campaign: { id: ctx.x, name: CAMPAIGN_X },
          listName: 'Spring group 0',
          when: 'now',
          testAddresses: ['office@example.com'],
        },
        {
          group: '1',
          groupName: 'App users',
          campaign: { id: ctx.idOf(BEING_SENT), name: BEING_SENT },
          listName: 'Spring group 1',
          when: 'now',
          testAddresses: ['office@example.com'],
        },
      ],
      { lockWaitMs: 0, uploads: ctx.uploads },
    )
    await expect(attempt).rejects.toThrow(/^Nothing was sent: App users: /)
    const posts = ctx.sim.control.requests().filter((r) => r.method === 'POST' && /\/(tests|schedules)$/.test(r.path))
    expect(posts).toEqual([])
  })
})
