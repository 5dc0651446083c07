import { describe, expect, it } from 'vitest'
import {
  copyCampaign,
  journalSendState,
  preflight,
  send,
  sendCopy,
  sendReportEntries,
} from '../../../electron/services/send/index'
import { copyName } from '../../../electron/services/send/copy-content'
import { appendEntry, copyRecords, readJournal } from '../../../electron/services/send/journal'
import { PRACTICE_CAMPAIGNS } from '../../../electron/services/cc-simulator/seed'
import { primaryEmail, rejection, sendSetupPerTest } from './helpers'

const setup = sendSetupPerTest()

const APRIL = 'Practice: April offer (sent, custom code)'
const MAY = 'Practice: May newsletter (sent, drag-and-drop editor)'
const MARCH = 'Practice: March reminder (send failed)'
const JUNE_1 = () => new Date(2031, 5, 1, 9, 30)

describe('campaigns Constant Contact won’t change the recipients of', () => {
  it('the practice account has one campaign of every kind', () => {
    const kinds = PRACTICE_CAMPAIGNS.map((c) => `${c.status ?? 'DRAFT'}/${c.formatType ?? 5}`)
    expect(kinds).toEqual([
      'DRAFT/5',
      'DRAFT/5',
      'DONE/3',
      'DONE/5',
      'ERROR/5',
      'SCHEDULED/5',
      'EXECUTING/5',
      'REMOVED/5',
    ])
  })

  it('preflight: a sent custom-code campaign or a failed one is not sendable, says why, and offers a copy', async () => {
    const ctx = await setup()
    for (const name of [APRIL, MARCH]) {
      const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.idOf(name), { uploads: ctx.uploads })
      expect(result.canSend).toBe(false)
      const check = result.checks.find((c) => c.id === 'campaign_status')!
      expect(check.result).toBe('blocked')
      expect(check.message).toContain(`“${name}” can’t be sent to this group’s list as it is.`)
      expect(check.hint).toMatch(/^Send a copy instead/)
      expect(result.copy).toMatchObject({ possible: true })
      expect(result.copy!.keeps).toMatch(/same subject/)
      expect(result.copy!.loses).toMatch(/reports and send history start empty/)
    }
  })

  it('preflight: a sent drag-and-drop (format 3) campaign can be changed, so it is sendable with the new-contacts note', async () => {
    const ctx = await setup()
    const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.idOf(MAY), { uploads: ctx.uploads })
    expect(result.canSend).toBe(true)
    expect(result.copy).toBeUndefined()
    expect(result.campaign).toMatchObject({ formatType: 3, canUpdate: true, status: 'DONE' })
    expect(result.checks.find((c) => c.id === 'campaign_status')).toMatchObject({ result: 'note' })
  })

  it('a sent campaign already addressed to the group’s list only is sent without changing it (no PUT)', async () => {
    const ctx = await setup()
    const activityId = ctx.activityOf(ctx.idOf(APRIL))
    // Addressed to the group's list only, as last month's run of a routine would have left it.
    ctx.sim.control.editInConstantContact(activityId, { contact_list_ids: [ctx.list0] })
    const checked = await preflight(ctx.jobDir, ctx.client, '0', ctx.idOf(APRIL), { uploads: ctx.uploads })
    expect(checked.canSend).toBe(true)
    const result = await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.idOf(APRIL), when: 'now' },
      {
        uploads: ctx.uploads,
      },
    )
    expect(result.state.phase).toBe('sent')
    expect(ctx.sim.control.requests().filter((r) => r.method === 'PUT')).toEqual([])
  })

  it('the old way failed at the last step: the local Constant Contact refuses the PUT with the documented error array', async () => {
    const ctx = await setup()
    const activityId = ctx.activityOf(ctx.idOf(APRIL))
    const email = await ctx.client.getEmailCampaignActivity(activityId)
    const error = await rejection(
      ctx.client.updateEmailCampaignActivity(activityId, { ...email, contact_list_ids: [ctx.list0] }),
    )
    expect(error).toMatchObject({ code: 'cc_rejected', status: 400 })
    expect((error as unknown as { details: unknown }).details).toEqual([
      {
        key: 'campaign.activity.api.status',
        message: "A campaign activity in DONE status can only be updated when its format_type is 3; this one's is 5.",
      },
    ])
  })
})

describe('Send a copy', () => {
  it('makes “<name> – <date>” from the original’s email, sends it to the group’s list only, and says so', async () => {
    const ctx = await setup()
    const original = ctx.idOf(APRIL)
    const before = await ctx.client.getEmailCampaignActivity(ctx.activityOf(original), { include: 'html_content' })
    const result = await sendCopy(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: original, when: 'now' },
      { uploads: ctx.uploads, now: JUNE_1 },
    )
    expect(result.copy).toMatchObject({
      name: `${APRIL} – 2031-06-01`,
      how: 'created',
      copyOf: { campaignId: original, campaignName: APRIL },
    })
    expect(result.state).toMatchObject({
      phase: 'sent',
      campaignId: result.copy.campaignId,
      listId: ctx.list0,
      copyOf: { campaignId: original, campaignName: APRIL },
    })
    const copy = ctx.sim.control.campaignActivity(result.copy.activityId)!
    expect(copy).toMatchObject({
      format_type: 5,
      subject: before.subject,
      preheader: before.preheader,
      from_name: before.from_name,
      from_email: before.from_email,
      reply_to_email: before.reply_to_email,
      html_content: before.html_content,
      contact_list_ids: [ctx.list0],
    })
    expect(copy.send_history.map((h) => h.count)).toEqual([3])
    // The original is as it was.
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(original))).toMatchObject({
      current_status: 'DONE',
      send_history: [expect.objectContaining({ send_id: 1 })],
    })
    expect(sendReportEntries(ctx.jobDir)[0]!.state.copyOf).toEqual({ campaignId: original, campaignName: APRIL })
  })

  it('a retry never makes a second copy: asked again it finds the first, and the send is done once', async () => {
    const ctx = await setup()
    const request = { group: '0' as const, campaignId: ctx.idOf(MARCH), when: 'now' as const }
    const first = await sendCopy(ctx.jobDir, ctx.client, request, { uploads: ctx.uploads, now: JUNE_1 })
    const again = await sendCopy(ctx.jobDir, ctx.client, request, { uploads: ctx.uploads, now: JUNE_1 })
    expect(again.copy).toMatchObject({ campaignId: first.copy.campaignId, how: 'found' })
    expect(again.alreadyDone).toBe(true)
    expect(ctx.campaignsNamed(`${MARCH} – 2031-06-01`)).toBe(1)
    expect(ctx.sim.control.requests().filter((r) => r.method === 'POST' && r.path === '/emails')).toHaveLength(1)
  })

  it('a lost answer to POST /emails is found again by the copy’s name: one POST, one copy', async () => {
    const ctx = await setup()
    ctx.sim.control.inject({
      kind: 'drop_connection',
      when: 'after_handling',
      match: { method: 'POST', path: '/emails' },
    })
    const copy = await copyCampaign(
      ctx.jobDir,
      ctx.client,
      { group: '1', campaignId: ctx.idOf(APRIL) },
      { now: JUNE_1 },
    )
    expect(copy).toMatchObject({ name: `${APRIL} – 2031-06-01`, how: 'found' })
    expect(ctx.sim.control.requests().filter((r) => r.method === 'POST' && r.path === '/emails')).toHaveLength(1)
    expect(ctx.campaignsNamed(copy.name)).toBe(1)
    const records = copyRecords(readJournal(ctx.jobDir))
    expect(records.map((r) => r.created?.source)).toEqual(['found'])
  })

  it('after a crash between the intent and the answer, the copy that arrived is found, not made again', async () => {
    const ctx = await setup()
    const name = `${APRIL} – 2031-06-01`
    appendEntry(ctx.jobDir, {
      type: 'copy_intent',
      attempt: 'crashed-copy',
      group: '0',
      original: { campaignId: ctx.idOf(APRIL), campaignName: APRIL },
      name,
    })
    // The POST reached Constant Contact, then the app stopped before writing the answer down.
    const email = await ctx.client.getEmailCampaignActivity(ctx.activityOf(ctx.idOf(APRIL)), {
      include: 'html_content',
    })
    const made = await ctx.client.createEmailCampaign({
      name,
      email_campaign_activities: [
        {
          format_type: 5,
          from_name: email.from_name,
          from_email: email.from_email,
          reply_to_email: email.reply_to_email,
          subject: email.subject,
          html_content: email.html_content!,
        },
      ],
    })
    const copy = await copyCampaign(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.idOf(APRIL) },
      { now: JUNE_1 },
    )
    expect(copy).toMatchObject({ campaignId: made.campaign_id, name, how: 'found' })
    expect(ctx.campaignsNamed(`${APRIL} – 2031-06-01 (2)`)).toBe(0)
  })

  it('names are unique and at most 80 characters; a copy deleted in Constant Contact is made again under another name', async () => {
    expect(copyName('A'.repeat(100), '2031-06-01', new Set())).toBe(`${'A'.repeat(66)}… – 2031-06-01`)
    expect(copyName('A'.repeat(100), '2031-06-01', new Set())).toHaveLength(80)
    expect(copyName('News', '2031-06-01', new Set(['news – 2031-06-01']))).toBe('News – 2031-06-01 (2)')

    const ctx = await setup()
    const first = await copyCampaign(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.idOf(APRIL) },
      { now: JUNE_1 },
    )
    ctx.sim.control.editInConstantContact(first.activityId, { current_status: 'REMOVED' })
    const second = await copyCampaign(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.idOf(APRIL) },
      { now: JUNE_1 },
    )
    expect(second).toMatchObject({ name: `${APRIL} – 2031-06-01 (2)`, how: 'created' })
    expect(second.campaignId).not.toBe(first.campaignId)
  })

  it('an email whose content Constant Contact doesn’t hand out can’t be copied by Splitsend: it says so and what to do', async () => {
    const ctx = await setup({
      mutate: (data) => {
        const april = primaryEmail(data, APRIL)
        april.format_type = 4
        april.html_content = ''
      },
    })
    const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.idOf(APRIL), { uploads: ctx.uploads })
    expect(result.copy).toMatchObject({ possible: false })
    expect(result.copy!.why).toMatch(/doesn’t hand out the content/)
    expect(result.copy!.loses).toMatch(/drag-and-drop layout becomes HTML/)
    expect(result.checks.find((c) => c.id === 'campaign_status')!.hint).toMatch(/Make a copy in Constant Contact/)
    const error = await rejection(copyCampaign(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.idOf(APRIL) }))
    expect(error.code).toBe('campaign_copy_impossible')
    expect(journalSendState(ctx.jobDir)[0]!.phase).toBe('not_sent')
  })
})
