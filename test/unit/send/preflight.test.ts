import { describe, expect, it } from 'vitest'
import {
  campaignDetails,
  fixedUploadOutcomes,
  listCampaigns,
  preflight,
  send,
} from '../../../electron/services/send/index'
import { CAMPAIGN_X, CAMPAIGN_Y, primaryEmail, sendSetupPerTest } from './helpers'

const setup = sendSetupPerTest()

const check = (result: Awaited<ReturnType<typeof preflight>>, id: string) => result.checks.find((c) => c.id === id)!

describe('choosing a campaign', () => {
  it('lists campaigns newest first, searchable, and says why a campaign can’t be picked', async () => {
    const ctx = await setup({
      mutate: (data) => {
        const y = data.campaigns.find((c) => c.name === CAMPAIGN_Y)!
        y.updated_at = new Date(Date.now() - 60_000).toISOString()
        const x = data.campaigns.find((c) => c.name === CAMPAIGN_X)!
        x.updated_at = new Date(Date.now() - 3600_000).toISOString()
        const ya = primaryEmail(data, CAMPAIGN_Y)
        ya.current_status = 'SCHEDULED'
        ya.scheduled_date = new Date(Date.now() + 86_400_000).toISOString()
      },
    })
    const all = (await listCampaigns(ctx.client)).filter((c) => c.name === CAMPAIGN_X || c.name === CAMPAIGN_Y)
    expect(all.map((c) => c.name)).toEqual([CAMPAIGN_Y, CAMPAIGN_X])
    expect(all[0]).toMatchObject({ status: 'Scheduled', selectable: false })
    expect(all[0]!.notSelectableReason).toMatch(/already scheduled/)
    expect(all[1]).toMatchObject({ status: 'Draft', selectable: true })
    expect(all[1]!.updatedAt).toBeTruthy()
    expect((await listCampaigns(ctx.client, { search: 'spring' })).map((c) => c.name)).toEqual([CAMPAIGN_X])
    expect(await listCampaigns(ctx.client, { search: 'nothing like this' })).toEqual([])
  })

  it('shows a campaign’s subject, sender, recipients and HTML for the preview', async () => {
    const ctx = await setup()
    const details = await campaignDetails(ctx.client, ctx.x)
    expect(details).toMatchObject({
      name: CAMPAIGN_X,
      status: 'DRAFT',
      subject: 'Our spring update',
      fromName: 'Practice Organization',
      fromEmail: 'news@practice.example',
      replyToEmail: 'owner@practice.example',
      recipients: [],
      timesSent: 0,
    })
    expect(details.html).toContain('<h1>Our spring update</h1>')
    expect(details.activityId).toBe(ctx.activityOf(ctx.x))
    expect(JSON.parse(JSON.stringify(details))).toEqual(details)
  })
})

describe('checks before sending', () => {
  it('all pass for a draft with confirmed senders and a finished upload', async () => {
    const ctx = await setup()
    const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: ctx.uploads })
    expect(result.canSend).toBe(true)
    expect(result.checks.map((c) => [c.id, c.result])).toEqual([
      ['not_sent_by_this_job', 'ok'],
      ['confirmed_senders', 'ok'],
      ['campaign_status', 'ok'],
      ['not_scheduled', 'ok'],
      ['recipient_list', 'ok'],
      ['upload_finished', 'ok'],
      ['one_list_each', 'ok'], // nobody is on both groups' lists
    ])
    expect(result.list).toEqual({
      listId: ctx.list0,
      listName: 'Spring group 0',
      contactsAdded: 3,
      uploadFinished: true,
      membersNow: 3,
    })
    expect(check(result, 'upload_finished').message).toBe(
      'The upload finished and added 3 contacts to “Spring group 0”.',
    )
    expect(check(result, 'recipient_list').message).toContain('“Spring group 0” (3 contacts on it now) and nobody else')
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
  })

  it('an unconfirmed from address blocks the send', async () => {
    const ctx = await setup({
      mutate: (data) => void (primaryEmail(data, CAMPAIGN_X).from_email = 'unconfirmed@practice.example'),
    })
    const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: ctx.uploads })
    expect(result.canSend).toBe(false)
    expect(check(result, 'confirmed_senders')).toMatchObject({ result: 'blocked' })
    expect(check(result, 'confirmed_senders').message).toBe(
      'Constant Contact only sends from confirmed addresses, and the “from” address unconfirmed@practice.example is not confirmed for this account.',
    )
    expect(check(result, 'confirmed_senders').hint).toMatch(/confirm the address/)
  })

  it('an unconfirmed reply-to address blocks the send', async () => {
    const ctx = await setup({
      mutate: (data) => void (primaryEmail(data, CAMPAIGN_X).reply_to_email = 'someone@elsewhere.example'),
    })
    const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: ctx.uploads })
    expect(result.canSend).toBe(false)
    expect(check(result, 'confirmed_senders').message).toContain(
      'the reply-to address someone@elsewhere.example is not confirmed',
    )
  })

  it('a campaign sent before (DONE, drag-and-drop format 3) may be sent, with the new-contacts-only explanation', async () => {
    const ctx = await setup({
      mutate: (data) => {
        const x = primaryEmail(data, CAMPAIGN_X)
        x.current_status = 'DONE'
        x.format_type = 3
        x.send_history.push({
          send_id: 1,
          contact_list_ids: [],
          segment_ids: [],
          count: 10,
          run_date: new Date(Date.now() - 86_400_000).toISOString(),
          send_status: 'COMPLETED',
          reason_code: 0,
        })
      },
    })
    const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: ctx.uploads })
    expect(result.canSend).toBe(true)
    expect(check(result, 'campaign_status')).toMatchObject({ result: 'note' })
    expect(check(result, 'campaign_status').message).toMatch(
      /only to contacts who are new on the list since it last went out/,
    )
    expect(result.campaign.timesSent).toBe(1)
  })

  it('a campaign that is being sent (EXECUTING) is refused', async () => {
    const ctx = await setup({
      mutate: (data) => {
        const x = primaryEmail(data, CAMPAIGN_X)
        x.current_status = 'EXECUTING'
        x.executing_until_ms = Date.now() + 3600_000
      },
    })
    const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: ctx.uploads })
    expect(result.canSend).toBe(false)
    expect(check(result, 'campaign_status').message).toBe(
      `“${CAMPAIGN_X}” can’t be sent now: Constant Contact is sending it right now.`,
    )
  })

  it('a campaign already scheduled is refused, naming when', async () => {
    const at = new Date(Date.now() + 2 * 86_400_000).toISOString()
    const ctx = await setup({
      mutate: (data) => {
        const x = primaryEmail(data, CAMPAIGN_X)
        x.current_status = 'SCHEDULED'
        x.scheduled_date = at
        x.status_before_schedule = 'DRAFT'
      },
    })
    const result = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: ctx.uploads })
    expect(result.canSend).toBe(false)
    expect(check(result, 'not_scheduled')).toMatchObject({ result: 'blocked' })
    expect(check(result, 'not_scheduled').message).toBe(
      `“${CAMPAIGN_X}” is already scheduled to go out at ${at} (UTC). Sending it from here as well would send it twice.`,
    )
  })

  it('shows the lists and segments the group’s list will replace', async () => {
    const ctx = await setup({
      mutate: (data) => {
        const x = primaryEmail(data, CAMPAIGN_X)
        x.contact_list_ids = [data.lists.find((l) => l.name === 'Newsletter')!.list_id]
        const y = primaryEmail(data, CAMPAIGN_Y)
        y.segment_ids = [42]
      },
    })
    const x = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: ctx.uploads })
    expect(x.canSend).toBe(true)
    expect(x.replaces).toEqual([{ kind: 'list', id: expect.any(String), name: 'Newsletter' }])
    expect(check(x, 'recipient_list')).toMatchObject({ result: 'note' })
    expect(check(x, 'recipient_list').message).toContain(
      'The campaign is addressed to list “Newsletter” now; that will be replaced.',
    )
    const y = await preflight(ctx.jobDir, ctx.client, '1', ctx.y, { uploads: ctx.uploads })
    expect(y.replaces).toEqual([{ kind: 'segment', id: '42' }])
    expect(check(y, 'recipient_list').message).toContain('segment 42')
  })

  it('an unfinished upload, a group not uploaded, and a deleted list block the send', async () => {
    const ctx = await setup()
    const unfinished = fixedUploadOutcomes([{ ...ctx.outcomes[0]!, finished: false }])
    const a = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: unfinished })
    expect(a.canSend).toBe(false)
    expect(check(a, 'upload_finished').message).toBe(
      'The upload of this group to “Spring group 0” hasn’t finished, so the list may still be missing contacts.',
    )

    const b = await preflight(ctx.jobDir, ctx.client, '1', ctx.y, { uploads: unfinished })
    expect(b.canSend).toBe(false)
    expect(check(b, 'upload_finished').message).toBe('This group hasn’t been uploaded to Constant Contact.')
    expect(check(b, 'recipient_list').result).toBe('blocked')

    const gone = fixedUploadOutcomes([{ ...ctx.outcomes[0]!, listId: '7d2f0a55-0000-4000-8000-000000000000' }])
    const c = await preflight(ctx.jobDir, ctx.client, '0', ctx.x, { uploads: gone })
    expect(c.canSend).toBe(false)
    expect(check(c, 'recipient_list').message).toBe(
      'The list “Spring group 0” this group was uploaded to no longer exists in Constant Contact.',
    )
  })

  it('a group this job already sent to, or a campaign already going to the other group, is refused', async () => {
    const ctx = await setup()
    await send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads })
    const again = await preflight(ctx.jobDir, ctx.client, '0', ctx.y, { uploads: ctx.uploads })
    expect(again.canSend).toBe(false)
    expect(check(again, 'not_sent_by_this_job').message).toBe(`This group already got “${CAMPAIGN_X}” from this job.`)
    const sameForOther = await preflight(ctx.jobDir, ctx.client, '1', ctx.x, { uploads: ctx.uploads })
    expect(sameForOther.canSend).toBe(false)
    expect(check(sameForOther, 'not_sent_by_this_job').message).toBe(
      `“${CAMPAIGN_X}” is already going to the other group’s list. A campaign goes to one list at a time.`,
    )
  })
})
