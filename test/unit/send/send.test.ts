import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UserFacingError } from '../../../shared/errors'
import { reportDate } from '../../../electron/services/report/dates'
import {
  describeSend,
  journalSendState,
  scheduleDateFor,
  send,
  SEND_JOURNAL_FILE,
  SEND_LOCK_FILE,
  sendReportEntries,
  sendReportSection,
  sendState,
  unschedule,
} from '../../../electron/services/send/index'
import { readJournal } from '../../../electron/services/send/journal'
import { replayJournal } from '../../../electron/services/upload/journal-state'
import type { PrepareSummary } from '../../../electron/services/prepare/job-files'
import { CAMPAIGN_X, CAMPAIGN_Y, primaryEmail, rejection, sendSetupPerTest } from './helpers'

const setup = sendSetupPerTest()

describe('send', () => {
  it('sets the group’s list as the only recipients (segments dropped), keeps the rest, and sends now', async () => {
    const ctx = await setup({
      mutate: (data) => {
        primaryEmail(data, CAMPAIGN_X).segment_ids = [7]
        primaryEmail(data, CAMPAIGN_Y).contact_list_ids = [data.lists.find((l) => l.name === 'Newsletter')!.list_id]
      },
    })
    const activityId = ctx.activityOf(ctx.x)
    const before = ctx.sim.control.campaignActivity(activityId)!
    const steps: string[] = []
    const result = await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: 'now' },
      { uploads: ctx.uploads, onStep: (s) => steps.push(s) },
    )
    expect(steps).toEqual(['locked', 'checked', 'intent_written', 'lists_set', 'schedule_answered', 'result_written'])
    expect(result.alreadyDone).toBe(false)
    expect(result.state).toMatchObject({
      group: '0',
      phase: 'sent',
      campaignName: CAMPAIGN_X,
      listId: ctx.list0,
      listName: 'Spring group 0',
      contacts: 3,
      when: 'now',
      canUnschedule: false,
    })
    expect(result.state.confirmation).toMatchObject({ sendId: 1, count: 3, sendStatus: 'COMPLETED' })

    const after = ctx.sim.control.campaignActivity(activityId)!
    expect(after.contact_list_ids).toEqual([ctx.list0])
    expect(after.segment_ids).toEqual([])
    expect(before.segment_ids).toEqual([7])
    // Only the lists changed; everything else the PUT carried back is as it was.
    for (const field of [
      'subject',
      'from_name',
      'from_email',
      'reply_to_email',
      'preheader',
      'html_content',
      'physical_address_in_footer',
    ] as const) {
      expect(after[field]).toEqual(before[field])
    }
    expect(after.send_history).toHaveLength(1)
    expect(after.send_history[0]).toMatchObject({ contact_list_ids: [ctx.list0], count: 3 })
    expect(ctx.schedulePosts()).toHaveLength(1)
    // The PUT came before the schedule, and the journal holds intent then answer.
    const calls = ctx.sim.control
      .requests()
      .filter((r) => r.path.startsWith(`/emails/activities/${activityId}`) && r.method !== 'GET')
    expect(calls.map((r) => r.method)).toEqual(['PUT', 'POST'])
    expect(readJournal(ctx.jobDir).map((e) => e.type)).toEqual(['intent', 'accepted', 'went_out'])
    expect(existsSync(join(ctx.jobDir, SEND_LOCK_FILE))).toBe(false)
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
  })

  it('a second press, and a send of the same job from a fresh start, send nothing more', async () => {
    const ctx = await setup()
    await send(ctx.jobDir, ctx.client, { group: '1', campaignId: ctx.y, when: 'now' }, { uploads: ctx.uploads })
    const again = await send(
      ctx.jobDir,
      ctx.client,
      { group: '1', campaignId: ctx.y, when: 'now' },
      { uploads: ctx.uploads },
    )
    expect(again.alreadyDone).toBe(true)
    expect(again.state.phase).toBe('sent')
    const other = await rejection(
      send(ctx.jobDir, ctx.client, { group: '1', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads }),
    )
    expect(other.code).toBe('send_already_done_for_group')
    expect(other.message).toBe(`This job already sent “${CAMPAIGN_Y}” to this group.`)
    expect(ctx.schedulePosts()).toHaveLength(1)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.y))!.send_history).toHaveLength(1)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(0)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.y))!.contact_list_ids).toEqual([ctx.list1])
  })

  it('two sends at once on one job: one sends, the other is told another window is sending', async () => {
    const ctx = await setup()
    const results = await Promise.allSettled([
      send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads }),
      send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads }),
    ])
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(refused).toHaveLength(1)
    expect((refused[0]!.reason as UserFacingError).code).toBe('send_busy')
    expect((refused[0]!.reason as UserFacingError).message).toBe(
      'Another Splitsend window is sending the emails of this job right now.',
    )
    // Waiting for the lock instead finds the send done.
    const waited = await Promise.all([
      send(
        ctx.jobDir,
        ctx.client,
        { group: '1', campaignId: ctx.y, when: 'now' },
        { uploads: ctx.uploads, lockWaitMs: 20_000 },
      ),
      send(
        ctx.jobDir,
        ctx.client,
        { group: '1', campaignId: ctx.y, when: 'now' },
        { uploads: ctx.uploads, lockWaitMs: 20_000 },
      ),
    ])
    expect(waited.map((r) => r.alreadyDone).sort()).toEqual([false, true])
    expect(ctx.schedulePosts()).toHaveLength(2)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(1)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.y))!.send_history).toHaveLength(1)
  })

  it('schedules for later in UTC, can cancel it, and sends again afterwards', async () => {
    const ctx = await setup()
    const activityId = ctx.activityOf(ctx.x)
    const local = '2099-03-01T09:30:00-05:00'
    const scheduled = await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: local },
      { uploads: ctx.uploads },
    )
    expect(scheduled.state).toMatchObject({
      phase: 'scheduled',
      when: '2099-03-01T14:30:00.000Z',
      scheduledFor: '2099-03-01T14:30:00.000Z',
      canUnschedule: true,
    })
    expect(ctx.sim.control.campaignActivity(activityId)).toMatchObject({
      current_status: 'SCHEDULED',
      scheduled_date: '2099-03-01T14:30:00.000Z',
      contact_list_ids: [ctx.list0],
    })
    expect(describeSend(scheduled.state)).toBe(
      `“${CAMPAIGN_X}” to the list “Spring group 0” (3 contacts): scheduled for ${reportDate('2099-03-01T14:30:00.000Z')}; it can still be cancelled.`,
    )

    const cancelled = await unschedule(ctx.jobDir, ctx.client, '0')
    expect(cancelled).toMatchObject({ phase: 'not_sent', canUnschedule: false })
    expect(cancelled.lastProblem).toBe(`The scheduled send of “${CAMPAIGN_X}” was cancelled.`)
    expect(ctx.sim.control.campaignActivity(activityId)!.current_status).toBe('DRAFT')
    expect((await rejection(unschedule(ctx.jobDir, ctx.client, '0'))).code).toBe('nothing_to_unschedule')

    const now = await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: 'now' },
      { uploads: ctx.uploads },
    )
    expect(now.state.phase).toBe('sent')
    expect(ctx.sim.control.campaignActivity(activityId)!.send_history).toHaveLength(1)
    const entries = sendReportEntries(ctx.jobDir)
    expect(entries[0]!.earlier).toHaveLength(1)
    expect(entries[0]!.earlier[0]).toContain(`scheduled for ${reportDate('2099-03-01T14:30:00.000Z')}, then cancelled.`)
  })

  it('a scheduled send that goes out shows as sent, and can no longer be cancelled', async () => {
    const ctx = await setup()
    const when = new Date(Date.now() + 3600_000).toISOString()
    await send(ctx.jobDir, ctx.client, { group: '1', campaignId: ctx.y, when }, { uploads: ctx.uploads })
    expect((await sendState(ctx.jobDir, ctx.client))[1]!.phase).toBe('scheduled')
    ctx.sim.control.advanceTime(2 * 3600_000)
    const [zero, one] = await sendState(ctx.jobDir, ctx.client)
    expect(zero!.phase).toBe('not_sent')
    expect(one).toMatchObject({ phase: 'sent', canUnschedule: false, scheduledFor: when })
    expect(one!.confirmation).toMatchObject({ sendId: 1, count: 2 })
    const refusal = await rejection(unschedule(ctx.jobDir, ctx.client, '1'))
    expect(refusal.message).toBe(`“${CAMPAIGN_Y}” has already gone out, so it can’t be cancelled.`)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.y))!.send_history).toHaveLength(1)
  })

  it('a schedule cancelled in Constant Contact itself shows as not sent, and may be sent again', async () => {
    const ctx = await setup()
    await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: new Date(Date.now() + 3600_000).toISOString() },
      { uploads: ctx.uploads },
    )
    await ctx.client.unscheduleEmailCampaignActivity(ctx.activityOf(ctx.x))
    const [zero] = await sendState(ctx.jobDir, ctx.client)
    expect(zero).toMatchObject({ phase: 'not_sent' })
    expect(zero!.lastProblem).toMatch(/no longer scheduled in Constant Contact/)
    const again = await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: 'now' },
      { uploads: ctx.uploads },
    )
    expect(again.alreadyDone).toBe(false)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(1)
  })

  it('a lost answer to the schedule call is settled by Constant Contact’s record, never by sending again', async () => {
    const ctx = await setup()
    ctx.sim.control.inject({
      kind: 'drop_connection',
      when: 'after_handling',
      match: { method: 'POST', path: /\/schedules$/ },
    })
    const result = await send(
      ctx.jobDir,
      ctx.client,
      { group: '0', campaignId: ctx.x, when: 'now' },
      { uploads: ctx.uploads },
    )
    expect(result.state.phase).toBe('sent')
    expect(result.state.confirmation?.source).toBe('checked_after_interruption')
    expect(readJournal(ctx.jobDir).map((e) => e.type)).toEqual(['intent', 'checked'])
    expect(ctx.schedulePosts()).toHaveLength(1)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(1)
    expect(
      (await send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads }))
        .alreadyDone,
    ).toBe(true)
  })

  it('a schedule call that never arrived is checked, reported, and the next press sends once', async () => {
    const ctx = await setup()
    ctx.sim.control.inject({
      kind: 'drop_connection',
      when: 'before_handling',
      match: { method: 'POST', path: /\/schedules$/ },
    })
    const refusal = await rejection(
      send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads }),
    )
    expect(refusal.code).toBe('send_not_reached')
    expect(refusal.message).toMatch(/Constant Contact didn’t get the request, so nothing was sent/)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(0)
    expect(journalSendState(ctx.jobDir)[0]!.phase).toBe('not_sent')
    await send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads })
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(1)
  })

  it('failed checks refuse the send before anything changes in Constant Contact', async () => {
    const ctx = await setup({
      mutate: (data) => void (primaryEmail(data, CAMPAIGN_X).from_email = 'unconfirmed@practice.example'),
    })
    const refusal = await rejection(
      send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads }),
    )
    expect(refusal.code).toBe('send_checks_failed')
    expect(refusal.message).toMatch(/unconfirmed@practice.example is not confirmed/)
    expect(ctx.sim.control.requests().filter((r) => r.method !== 'GET' && r.path.startsWith('/emails'))).toEqual([])
    expect(existsSync(join(ctx.jobDir, SEND_JOURNAL_FILE))).toBe(false)
  })

  it('refuses times in the past or without a zone', () => {
    expect(() => scheduleDateFor('2001-01-01T00:00:00Z')).toThrow('The time to send is already past.')
    expect(() => scheduleDateFor('2099-01-01T09:00')).toThrow('is not a date and time Splitsend understands')
    expect(scheduleDateFor('now')).toEqual({ when: 'now', scheduledDate: '0' })
    expect(scheduleDateFor('2099-01-01T09:00+02:00')).toEqual({
      when: '2099-01-01T07:00:00.000Z',
      scheduledDate: '2099-01-01T07:00:00.000Z',
    })
  })

  it('a lock left by a killed process is taken over; one held by a live process is respected', async () => {
    const ctx = await setup()
    const lock = join(ctx.jobDir, SEND_LOCK_FILE)
    writeFileSync(
      lock,
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: (await import('node:os')).hostname(),
        token: 'dead',
        since: new Date().toISOString(),
        purpose: 'send',
      }),
    )
    await send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads })
    expect(existsSync(lock)).toBe(false)
    writeFileSync(
      lock,
      JSON.stringify({
        pid: process.ppid,
        host: (await import('node:os')).hostname(),
        token: 'alive',
        since: new Date().toISOString(),
        purpose: 'send',
      }),
    )
    expect(
      (
        await rejection(
          send(ctx.jobDir, ctx.client, { group: '1', campaignId: ctx.y, when: 'now' }, { uploads: ctx.uploads }),
        )
      ).code,
    ).toBe('send_busy')
    expect(readFileSync(lock, 'utf8')).toContain('alive')
    const [, one] = await sendState(ctx.jobDir, ctx.client)
    expect(one!.phase).toBe('in_progress')
  })

  it('the report section names campaign, list, contacts, when and the confirmation, and earlier attempts', async () => {
    const ctx = await setup()
    const summary = { groupNames: { '0': 'Members', '1': 'Flag 1' } } as PrepareSummary
    expect(sendReportSection(ctx.jobDir)(replayJournal([]), summary)).toBeUndefined()
    await send(
      ctx.jobDir,
      ctx.client,
      { group: '1', campaignId: ctx.y, when: new Date(Date.now() + 3600_000).toISOString() },
      { uploads: ctx.uploads },
    )
    await unschedule(ctx.jobDir, ctx.client, '1')
    await send(ctx.jobDir, ctx.client, { group: '0', campaignId: ctx.x, when: 'now' }, { uploads: ctx.uploads })
    const section = sendReportSection(ctx.jobDir)(replayJournal([]), summary)!
    expect(section.title).toBe('Sends')
    expect(section.table!.headers).toEqual([
      'Group',
      'Campaign',
      'List',
      'Contacts',
      'When',
      'State',
      'Constant Contact’s confirmation',
    ])
    expect(section.table!.rows[0]!.slice(0, 6)).toEqual([
      'Members',
      CAMPAIGN_X,
      'Spring group 0',
      '3',
      'Sent now',
      'Sent',
    ])
    expect(section.table!.rows[0]![6]).toMatch(/^send #1, 3 recipients, on [A-Z][a-z]+ \d{1,2}, \d{4} at \d/)
    expect(section.table!.rows[1]!.slice(0, 6)).toEqual([
      'Flag 1',
      CAMPAIGN_Y,
      'Spring group 1',
      '2',
      expect.stringMatching(/^Scheduled for [A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d\d [AP]M \S+$/),
      'Not sent',
    ])
    expect(section.paragraphs).toEqual([`Flag 1: The scheduled send of “${CAMPAIGN_Y}” was cancelled.`])
  })
})
