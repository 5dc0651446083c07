/**
 * A send counted for the wrong job (issue 15): a job's send is matched to Constant Contact's send
 * record by the group's list and the time this job sent (or scheduled) it; anything that can't be
 * told apart is asked, never recorded as this job's send.
 */
import { describe, expect, it } from 'vitest'
import {
  fixedUploadOutcomes,
  preflight,
  resolveUnclearSend,
  send,
  sendState,
} from '../../../electron/services/send/index'
import { appendEntry, readJournal } from '../../../electron/services/send/journal'
import { tempDir, closeAfterEach } from '../constant-contact/helpers'
import { CAMPAIGN_X, rejection, sendSetup } from './helpers'

const closeLater = closeAfterEach()

async function setup() {
  const ctx = await sendSetup()
  closeLater(ctx.close)
  /** Another job that sends campaign X to `listId` (its own list, or the same one a month later). */
  const otherJob = (listId: string) => ({
    dir: tempDir('send-other-job'),
    uploads: fixedUploadOutcomes([
      { group: '0', listId, listName: 'Another job’s list', contactsAdded: 1, finished: true },
    ]),
  })
  return { ...ctx, otherJob }
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString()

describe('whose send is it', () => {
  it('a schedule cancelled in Constant Contact, then the campaign sent by another job to its own list: not this job’s send', async () => {
    const ctx = await setup()
    const activityId = ctx.activityOf(ctx.x)
    const scheduled = await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: tomorrow() },
      {
        uploads: ctx.uploads,
      },
    )
    expect(scheduled.state.phase).toBe('scheduled')
    await ctx.client.unscheduleEmailCampaignActivity(activityId) // the person, in Constant Contact
    const other = ctx.otherJob(ctx.list1)
    const theirs = await send(
      other.dir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: 'now' },
      {
        uploads: other.uploads,
      },
    )
    expect(theirs.state.phase).toBe('sent')

    const [mine] = await sendState(ctx.jobDir, ctx.client)
    expect(mine).toMatchObject({ phase: 'not_sent', canUnschedule: false })
    expect(mine!.lastProblem).toMatch(/no longer scheduled in Constant Contact/)
    expect(readJournal(ctx.jobDir).filter((e) => e.type === 'went_out')).toEqual([])
  })

  it('the campaign sent to this group’s own list by someone else, at another time: asks, and sends nothing until answered', async () => {
    const ctx = await setup()
    const activityId = ctx.activityOf(ctx.x)
    await send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: tomorrow() }, { uploads: ctx.uploads })
    await ctx.client.unscheduleEmailCampaignActivity(activityId)
    // Next month's job of a routine sends the same campaign to the same list, now.
    const other = ctx.otherJob(ctx.list0)
    await send(other.dir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: other.uploads })

    const [mine] = await sendState(ctx.jobDir, ctx.client)
    expect(mine!.phase).toBe('unclear')
    expect(mine!.lastProblem).toContain(`“${CAMPAIGN_X}” went to the list “Spring group 0” at`)
    expect(mine!.lastProblem).toContain('tell Splitsend whether it was this job’s send')
    const checks = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: ctx.uploads })
    expect(checks.checks.find((c) => c.id === 'not_sent_by_this_job')).toMatchObject({ result: 'blocked' })
    const refused = await rejection(
      send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads }),
    )
    expect(refused.code).toBe('send_unclear')
    expect(ctx.sim.control.campaignActivity(activityId)!.send_history).toHaveLength(1) // only the other job's

    // The person checked: it wasn't this job's send. The group can be sent to again.
    expect(await resolveUnclearSend(ctx.jobDir, '0', 'not_sent')).toMatchObject({ phase: 'not_sent' })
    expect((await sendState(ctx.jobDir, ctx.client))[0]!.phase).toBe('not_sent')
  })

  it('…or the person says it was this job’s send: recorded as sent, and nothing more is sent', async () => {
    const ctx = await setup()
    await send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: tomorrow() }, { uploads: ctx.uploads })
    await ctx.client.unscheduleEmailCampaignActivity(ctx.activityOf(ctx.x))
    const other = ctx.otherJob(ctx.list0)
    await send(other.dir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: other.uploads })
    expect((await sendState(ctx.jobDir, ctx.client))[0]!.phase).toBe('unclear')
    expect(await resolveUnclearSend(ctx.jobDir, '0', 'sent')).toMatchObject({ phase: 'sent' })
    const again = await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: 'now' },
      {
        uploads: ctx.uploads,
      },
    )
    expect(again.alreadyDone).toBe(true)
    expect(ctx.schedulePosts()).toHaveLength(2) // this job's schedule and the other job's send
  })

  it('a send whose answer never came, while another job sent the campaign to its own list: judged not sent', async () => {
    const ctx = await setup()
    const activityId = ctx.activityOf(ctx.x)
    // This job stopped after writing its intent and setting the lists, before the schedule call.
    const email = await ctx.client.getEmailCampaignActivity(activityId)
    await ctx.client.updateEmailCampaignActivity(activityId, { ...email, contact_list_ids: [ctx.list0] })
    appendEntry(ctx.jobDir, {
      type: 'intent',
      attempt: 'crashed',
      group: '0',
      campaignId: ctx.x,
      campaignName: CAMPAIGN_X,
      activityId,
      listId: ctx.list0,
      listName: 'Spring group 0',
      when: 'now',
      before: { status: 'DRAFT', sendIds: [] },
      replaced: [],
    })
    const other = ctx.otherJob(ctx.list1)
    await send(other.dir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: other.uploads })

    const [mine] = await sendState(ctx.jobDir, ctx.client)
    expect(mine).toMatchObject({ phase: 'not_sent' })
    expect(readJournal(ctx.jobDir).find((e) => e.type === 'checked')).toMatchObject({ found: 'not_sent' })
  })
})
