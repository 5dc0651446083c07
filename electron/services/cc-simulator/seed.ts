import { randomUUID } from 'node:crypto'
import type {
  AccountRecord,
  CampaignActivityRecord,
  CampaignRecord,
  ContactRecord,
  ListRecord,
  SimData,
} from './records'

export type SeedName = 'practice' | 'empty'

/** The name every screen shows for the practice account: it must say "Practice" plainly. */
const PRACTICE_ACCOUNT_NAME = 'Practice account (not a real Constant Contact account)'

function account(organizationName: string): AccountRecord {
  return {
    summary: {
      contact_email: 'owner@practice.example',
      contact_phone: '555-0100',
      country_code: 'US',
      encoded_account_id: 'practice0001',
      first_name: 'Pat',
      last_name: 'Practice',
      organization_name: organizationName,
      organization_phone: '555-0100',
      state_code: 'MA',
      time_zone_id: 'US/Eastern',
      website: 'https://practice.example',
      physical_address: {
        address_line1: '1 Practice Way',
        city: 'Waltham',
        state_code: 'MA',
        postal_code: '02451',
        country_code: 'US',
      },
    },
    emails: [
      {
        email_address: 'owner@practice.example',
        email_id: 1,
        confirm_status: 'CONFIRMED',
        confirm_time: '2024-01-02T15:00:00.000Z',
        confirm_source_type: 'SITE_OWNER',
        roles: ['CONTACT', 'BILLING', 'REPLY_TO'],
        pending_roles: [],
      },
      {
        email_address: 'news@practice.example',
        email_id: 2,
        confirm_status: 'CONFIRMED',
        confirm_time: '2024-01-03T15:00:00.000Z',
        confirm_source_type: 'SITE_OWNER',
        roles: ['REPLY_TO'],
        pending_roles: [],
      },
      {
        email_address: 'unconfirmed@practice.example',
        email_id: 3,
        confirm_status: 'UNCONFIRMED',
        confirm_source_type: 'SITE_OWNER',
        roles: [],
        pending_roles: ['REPLY_TO'],
      },
    ],
  }
}

function emptyData(organizationName: string): SimData {
  return {
    schema_version: 1,
    account: account(organizationName),
    lists: [],
    contacts: [],
    custom_fields: [],
    activities: [],
    campaigns: [],
    campaign_activities: [],
    test_sends: [],
    auth: { codes: [], refresh_tokens: [], access_tokens: [], device_codes: [] },
    usage: { day: '', count: 0 },
    clock_offset_ms: 0,
  }
}

interface PracticeCampaign {
  name: string
  subject: string
  body: string
  status?: CampaignActivityRecord['current_status']
  formatType?: number
  lists?: ListRecord[]
  listNames?: string[]
  sentDaysAgo?: number
}

/** The practice account's campaigns (their names are what the tutorial and the tests pick). */
export const PRACTICE_CAMPAIGNS: ReadonlyArray<Omit<PracticeCampaign, 'lists'>> = [
  { name: 'Practice message X: spring update', subject: 'Our spring update', body: 'Here is what is new this spring.' },
  { name: 'Practice message Y: welcome', subject: 'Welcome aboard', body: 'Thank you for joining us.' },
  {
    name: 'Practice: May newsletter (sent, drag-and-drop editor)',
    subject: 'Our May newsletter',
    body: 'The news of the month.',
    status: 'DONE',
    formatType: 3,
    listNames: ['Newsletter'],
    sentDaysAgo: 30,
  },
  {
    name: 'Practice: April offer (sent, custom code)',
    subject: 'An offer for April',
    body: 'Ten percent off this month.',
    status: 'DONE',
    formatType: 5,
    listNames: ['Customers'],
    sentDaysAgo: 40,
  },
  {
    name: 'Practice: March reminder (send failed)',
    subject: 'A reminder for March',
    body: 'Do not forget to renew.',
    status: 'ERROR',
    formatType: 5,
    listNames: ['Volunteers'],
  },
  {
    name: 'Practice: summer preview (scheduled)',
    subject: 'A look at the summer',
    body: 'What is coming this summer.',
    status: 'SCHEDULED',
    listNames: ['Newsletter'],
  },
  {
    name: 'Practice: volunteer thanks (being sent)',
    subject: 'Thank you, volunteers',
    body: 'You make it happen.',
    status: 'EXECUTING',
    listNames: ['Volunteers'],
    sentDaysAgo: 8,
  },
  {
    name: 'Practice: old announcement (deleted)',
    subject: 'An old announcement',
    body: 'This one was deleted.',
    status: 'REMOVED',
  },
]

export function seedData(name: SeedName, now: number): SimData {
  if (name === 'empty') return emptyData('Local Constant Contact (empty)')
  const data = emptyData(PRACTICE_ACCOUNT_NAME)
  const at = new Date(now - 7 * 24 * 3600_000).toISOString()

  const lists: ListRecord[] = ['Newsletter', 'Customers', 'Volunteers'].map((listName) => ({
    list_id: randomUUID(),
    name: listName,
    description: `Practice list: ${listName}`,
    favorite: false,
    created_at: at,
    updated_at: at,
  }))
  data.lists = lists
  const [newsletter, customers, volunteers] = lists as [ListRecord, ListRecord, ListRecord]

  const people: Array<[string, string, string, ListRecord[], ContactRecord['permission_to_send']]> = [
    ['ana.lopez@practice.example', 'Ana', 'Lopez', [newsletter, customers], 'implicit'],
    ['ben.okafor@practice.example', 'Ben', 'Okafor', [newsletter], 'explicit'],
    ['chloe.martin@practice.example', 'Chloe', 'Martin', [customers], 'implicit'],
    ['dev.patel@practice.example', 'Dev', 'Patel', [volunteers], 'implicit'],
    ['emma.schulz@practice.example', 'Emma', 'Schulz', [newsletter, volunteers], 'explicit'],
    ['former.member@practice.example', 'Frank', 'Former', [], 'unsubscribed'],
  ]
  data.contacts = people.map(([address, first, last, memberOf, permission]) => ({
    contact_id: randomUUID(),
    address,
    permission_to_send: permission,
    opt_in_source: 'Account',
    opt_in_date: at,
    ...(permission === 'unsubscribed' ? { opt_out_source: 'Contact' as const, opt_out_date: at } : {}),
    first_name: first,
    last_name: last,
    phones: [],
    addresses: [],
    custom_fields: {},
    lists: memberOf.map((l) => l.list_id),
    created_at: at,
    updated_at: at,
  }))

  data.custom_fields = [
    {
      custom_field_id: randomUUID(),
      label: 'Member since',
      name: 'Member_since',
      type: 'string',
      created_at: at,
      updated_at: at,
    },
  ]

  const campaign = (spec: PracticeCampaign): [CampaignRecord, CampaignActivityRecord[]] => {
    const campaignId = randomUUID()
    const primaryId = randomUUID()
    const permalinkId = randomUUID()
    const status = spec.status ?? 'DRAFT'
    const lists = (spec.lists ?? []).map((l) => l.list_id)
    const sentAt = new Date(now - (spec.sentDaysAgo ?? 30) * 24 * 3600_000).toISOString()
    const wentOut = status === 'DONE' || status === 'EXECUTING' || (status === 'REMOVED' && lists.length > 0)
    const earlier = new Date(now - 10 * 24 * 3600_000).toISOString()
    const recipients = wentOut ? data.contacts.filter((c) => c.lists.some((id) => lists.includes(id))) : []
    const common = {
      campaign_id: campaignId,
      current_status: status,
      format_type: spec.formatType ?? 5,
      from_email: 'news@practice.example',
      from_name: 'Practice Organization',
      reply_to_email: 'owner@practice.example',
      subject: spec.subject,
      preheader: 'A practice email: nothing is really sent.',
      html_content: `<html><body><h1>${spec.subject}</h1><p>${spec.body}</p><p>This is a practice email in Splitsend's practice account; nothing is really sent.</p>[[trackingImage]]</body></html>`,
      contact_list_ids: lists,
      segment_ids: [],
      physical_address_in_footer: {
        address_line1: '1 Practice Way',
        city: 'Waltham',
        state_code: 'MA',
        postal_code: '02451',
        country_code: 'US',
        organization_name: 'Practice Organization',
      },
      ...(status === 'SCHEDULED'
        ? { scheduled_date: new Date(now + 60 * 24 * 3600_000).toISOString(), status_before_schedule: 'DRAFT' as const }
        : {}),
      // "Being sent" for as long as the practice account lasts: a campaign that can't be picked.
      ...(status === 'EXECUTING' ? { executing_until_ms: now + 10 * 365 * 24 * 3600_000 } : {}),
    }
    const activity = (id: string, role: CampaignActivityRecord['role']): CampaignActivityRecord => ({
      ...common,
      campaign_activity_id: id,
      role,
      permalink_url: `https://practice.example/p/${id}`,
      recipients: recipients.map((c) => c.contact_id),
      send_history: wentOut
        ? [
            {
              send_id: 1,
              contact_list_ids: [...lists],
              segment_ids: [],
              count: recipients.length,
              run_date: sentAt,
              send_status: 'COMPLETED',
              reason_code: 0,
            },
          ]
        : [],
    })
    const activities = [activity(primaryId, 'primary_email'), activity(permalinkId, 'permalink')]
    const record: CampaignRecord = {
      campaign_id: campaignId,
      name: spec.name,
      type: 'NEWSLETTER',
      type_code: 10,
      created_at: status === 'DRAFT' ? at : new Date(now - 60 * 24 * 3600_000).toISOString(),
      // Older than the drafts, so the tutorial's two drafts come first in the picker (newest first).
      updated_at: status === 'DRAFT' ? at : wentOut ? sentAt : earlier,
      activity_ids: activities.map((a) => ({ campaign_activity_id: a.campaign_activity_id, role: a.role })),
    }
    return [record, activities]
  }
  // The two drafts the tutorial sends, then one campaign of every kind Constant Contact can't simply
  // send again (its rules on updating and scheduling an email), so the practice account shows each.
  const made = PRACTICE_CAMPAIGNS.map((spec) =>
    campaign({ ...spec, lists: spec.listNames?.map((n) => lists.find((l) => l.name === n)!) ?? [] }),
  )
  data.campaigns = made.map(([record]) => record)
  data.campaign_activities = made.flatMap(([, activities]) => activities)
  return data
}
