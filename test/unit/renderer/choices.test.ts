import { describe, expect, it } from 'vitest'
import { sendPlan, SKIP } from '../../../renderer/src/features/send/send-plan'
import type { CampaignCheck, GroupSendState, PreflightResult, SendJob } from '../../../renderer/src/features/send/types'
import type { Routine } from '../../../shared/routines/schema'

type PreflightCheckId = PreflightResult['checks'][number]['id']
import {
  firstChoice,
  uploadChoices,
  withAccountLists,
  type Drafts,
} from '../../../renderer/src/features/upload/list-choices'

const JOB: SendJob = {
  groupNames: { '0': 'Not using the app', '1': 'App users' },
  uploads: [
    { group: '0', listId: 'l0', listName: 'List zero', contactsAdded: 3, finished: true },
    { group: '1', listId: 'l1', listName: 'List one', contactsAdded: 2, finished: true },
  ],
}

const notSent = (group: '0' | '1'): GroupSendState => ({ group, phase: 'not_sent', canUnschedule: false })

function ready(campaignId: string, canSend = true, membersNow?: number): CampaignCheck {
  const campaign = { campaignId, name: `Campaign ${campaignId}`, subject: `Subject ${campaignId}` }
  return {
    status: 'ready',
    details: { ...campaign, html: '' } as Extract<CampaignCheck, { status: 'ready' }>['details'],
    preflight: {
      canSend,
      checks: [],
      list: { listId: 'lx', listName: 'List now', contactsAdded: 3, uploadFinished: true, membersNow },
    } as unknown as PreflightResult,
  }
}

describe('the Send step’s plan', () => {
  const none: Record<'0' | '1', CampaignCheck> = { '0': { status: 'none' }, '1': { status: 'none' } }

  it('asks for a campaign (or none) for every open group, and waits for the states', () => {
    const reading = sendPlan({
      job: JOB,
      states: undefined,
      choices: { '0': null, '1': null },
      checks: none,
      whenProblem: null,
    })
    expect(reading.blockers[0]).toBe('Splitsend is still reading what was sent already.')
    const plan = sendPlan({
      job: JOB,
      states: [notSent('0'), notSent('1')],
      choices: { '0': null, '1': SKIP },
      checks: none,
      whenProblem: 'Choose the date and the time to send.',
    })
    expect(plan.open).toEqual(['0', '1'])
    expect(plan.chosen).toEqual([])
    // The time's problem matters only once something would be sent.
    expect(plan.blockers).toEqual(['Choose a campaign for “Not using the app”, or choose not to send to it.'])
    expect(plan.canSend).toBe(false)
  })

  it('leaves out groups sent already or not uploaded in full', () => {
    const job: SendJob = { ...JOB, uploads: [{ ...JOB.uploads[0]!, finished: false }, JOB.uploads[1]!] }
    const plan = sendPlan({
      job,
      states: [notSent('0'), { ...notSent('1'), phase: 'sent' }],
      choices: { '0': 'a', '1': 'b' },
      checks: { '0': ready('a'), '1': ready('b') },
      whenProblem: null,
    })
    expect(plan.open).toEqual([])
    expect(plan.canSend).toBe(false)
  })

  it('refuses the same campaign for both groups, checks still running and checks that stop the send', () => {
    const states = [notSent('0'), notSent('1')]
    const same = sendPlan({
      job: JOB,
      states,
      choices: { '0': 'a', '1': 'a' },
      checks: { '0': ready('a'), '1': ready('a') },
      whenProblem: null,
    })
    expect(same.blockers).toEqual([expect.stringContaining('The same campaign is chosen for both groups.')])
    const waiting = sendPlan({
      job: JOB,
      states,
      choices: { '0': 'a', '1': 'b' },
      checks: { '0': { status: 'loading' }, '1': ready('b', false) },
      whenProblem: 'Choose a time at least a few minutes from now, or choose “Send now”.',
    })
    expect(waiting.blockers).toEqual([
      'The checks for “Not using the app” are still running.',
      'A check stops the send to “App users”; see above.',
      'Choose a time at least a few minutes from now, or choose “Send now”.',
    ])
    expect(waiting.canSend).toBe(false)
  })

  it('plans each chosen send with the list and its members as Constant Contact has them now', () => {
    const plan = sendPlan({
      job: JOB,
      states: [notSent('0'), notSent('1')],
      choices: { '0': 'a', '1': SKIP },
      checks: { '0': ready('a', true, 7), '1': { status: 'none' } },
      whenProblem: null,
    })
    expect(plan.canSend).toBe(true)
    expect(plan.planned).toEqual([
      {
        group: '0',
        groupName: 'Not using the app',
        campaignId: 'a',
        campaignName: 'Campaign a',
        subject: 'Subject a',
        listName: 'List now',
        contacts: 7,
      },
    ])
  })
  it('in a routine’s run, sends a dated copy of a campaign Constant Contact won’t send as it is, after its test', () => {
    const lastMonths = (blocked: string[]): CampaignCheck => {
      const check = ready('april', false) as Extract<CampaignCheck, { status: 'ready' }>
      return {
        ...check,
        preflight: {
          ...check.preflight,
          checks: blocked.map((id) => ({
            id: id as PreflightCheckId,
            result: 'blocked' as const,
            title: id,
            message: id,
          })),
          copy: { possible: true, name: 'April offer – 2031-06-01', keeps: '', loses: '' },
        },
      }
    }
    const routine = {
      sending: {
        '0': {
          send: true,
          campaign: { id: 'april', name: 'April' },
          sendAt: 'now',
          testAddresses: ['office@example.com'],
        },
        '1': { send: false },
      },
    } as unknown as Pick<Routine, 'sending'>
    const base = {
      job: JOB,
      states: [notSent('0'), notSent('1')],
      choices: { '0': 'april', '1': SKIP },
      whenProblem: null,
    }
    const plan = sendPlan({
      ...base,
      checks: { '0': lastMonths(['campaign_status']), '1': { status: 'none' } },
      routine,
    })
    expect(plan.canSend).toBe(true)
    expect(plan.planned[0]).toMatchObject({
      campaignId: 'april',
      copyName: 'April offer – 2031-06-01',
      testAddresses: ['office@example.com'],
    })
    // Outside a routine's run the person makes the copy themselves; any other check still stops the send.
    expect(
      sendPlan({ ...base, checks: { '0': lastMonths(['campaign_status']), '1': { status: 'none' } } }).canSend,
    ).toBe(false)
    const other = sendPlan({
      ...base,
      checks: { '0': lastMonths(['campaign_status', 'confirmed_senders']), '1': { status: 'none' } },
      routine,
    })
    expect(other.blockers).toEqual(['A check stops the send to “Not using the app”; see above.'])
  })
})

describe('the Upload step’s list choices', () => {
  const lists = [{ listId: 'c1', name: 'Customers', memberCount: 4 }] as Parameters<typeof uploadChoices>[1]
  const drafts = (zero: Partial<Drafts['0']>, one: Partial<Drafts['1']>): Drafts => ({
    '0': { mode: 'new', listId: null, name: 'Zero', suggestion: null, ...zero },
    '1': { mode: 'new', listId: null, name: 'One', suggestion: null, ...one },
  })

  it('sees that a new list named like an existing one is that list', () => {
    const result = uploadChoices(drafts({ mode: 'existing', listId: 'c1' }, { name: ' Customers ' }), lists, false)
    expect(result).toEqual({ sameList: true, choices: null })
  })

  it('has nothing to plan while a choice is incomplete or both groups are left out', () => {
    expect(uploadChoices(drafts({ mode: 'existing' }, {}), lists, false).choices).toBeNull()
    expect(uploadChoices(drafts({ name: '  ' }, {}), lists, false).choices).toBeNull()
    expect(uploadChoices(drafts({ mode: 'skip' }, { mode: 'skip' }), lists, false).choices).toBeNull()
  })

  it('creates lists only when a group goes to a list by name', () => {
    expect(uploadChoices(drafts({ mode: 'existing', listId: 'c1' }, { mode: 'skip' }), lists, true)).toEqual({
      sameList: false,
      choices: {
        lists: { '0': { kind: 'existing', listId: 'c1' }, '1': { kind: 'skip' } },
        createLists: false,
        createCustomFields: true,
      },
    })
    expect(uploadChoices(drafts({}, { mode: 'skip' }), lists, false).choices).toMatchObject({
      lists: { '0': { kind: 'name', name: 'Zero' } },
      createLists: true,
    })
  })

  it('makes no list from a group name Splitsend suggested until the person says to use it', () => {
    const suggested = { '0': firstChoice('Uses app: no', true), '1': firstChoice('Uses app: yes', true) }
    expect(uploadChoices(suggested, lists, false).choices).toBeNull()
    const confirmed = { ...suggested, '0': { ...suggested['0'], suggestion: 'confirmed' as const } }
    expect(uploadChoices(confirmed, lists, false).choices).toBeNull()
    const both = { ...confirmed, '1': { ...confirmed['1'], suggestion: 'confirmed' as const } }
    expect(uploadChoices(both, lists, false).choices?.lists).toEqual({
      '0': { kind: 'name', name: 'Uses app: no' },
      '1': { kind: 'name', name: 'Uses app: yes' },
    })
    // A name the person typed on the Map step is theirs already.
    expect(firstChoice('App users', false).suggestion).toBeNull()
  })

  it('starts from the lists of the last run with the same columns', () => {
    expect(firstChoice('Uses app: no', true, { kind: 'list', name: 'Members', listId: 'l-1' })).toEqual({
      mode: 'existing',
      listId: 'l-1',
      name: 'Members',
      suggestion: null,
    })
    expect(firstChoice('Uses app: no', true, { kind: 'list', name: 'Members' })).toMatchObject({
      mode: 'new',
      name: 'Members',
    })
    expect(firstChoice('Uses app: yes', true, { kind: 'skip' }).mode).toBe('skip')
  })

  it('makes a list of the last run again when it is no longer in the account, and says which', () => {
    const last: Drafts = {
      '0': firstChoice('Uses app: no', true, { kind: 'list', name: 'Customers', listId: 'c1' }),
      '1': firstChoice('Uses app: yes', true, { kind: 'list', name: 'Members', listId: 'gone-1' }),
    }
    const { drafts: now, gone } = withAccountLists(last, lists)
    expect(now['0']).toEqual(last['0'])
    expect(now['1']).toEqual({ mode: 'new', listId: null, name: 'Members', suggestion: null })
    expect(gone).toEqual(['Members'])
    expect(uploadChoices(now, lists, false).choices?.lists['1']).toEqual({ kind: 'name', name: 'Members' })
  })
})
