import { randomUUID } from 'node:crypto'
import type { AccountRecord, CampaignActivityRecord, CampaignRecord, ContactRecord, ListRecord, SimData } from './store'

export type SeedName = 'practice' | 'empty'

/** The name every screen shows for the practice account: it must say "Practice" plainly. */
export const PRACTICE_ACCOUNT_NAME = 'Practice account (not a real Constant Contact account)'

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

  const campaign = (name: string, subject: string, body: string): [CampaignRecord, CampaignActivityRecord[]] => {
    const campaignId = randomUUID()
    const primaryId = randomUUID()
    const permalinkId = randomUUID()
    const common = {
      campaign_id: campaignId,
      current_status: 'DRAFT' as const,
      format_type: 5,
      from_email: 'news@practice.example',
      from_name: 'Practice Organization',
      reply_to_email: 'owner@practice.example',
      subject,
      preheader: 'A practice email: nothing is really sent.',
      html_content: `<html><body><h1>${subject}</h1><p>${body}</p><p>This is a practice email in Splitsend's practice account; nothing is really sent.</p>[[trackingImage]]</body></html>`,
      contact_list_ids: [],
      segment_ids: [],
      physical_address_in_footer: {
        address_line1: '1 Practice Way',
        city: 'Waltham',
        state_code: 'MA',
        postal_code: '02451',
        country_code: 'US',
        organization_name: 'Practice Organization',
      },
      recipients: [],
      send_history: [],
    }
    const activities: CampaignActivityRecord[] = [
      {
        ...common,
        campaign_activity_id: primaryId,
        role: 'primary_email',
        permalink_url: `https://practice.example/p/${primaryId}`,
      },
      {
        ...common,
        campaign_activity_id: permalinkId,
        role: 'permalink',
        permalink_url: `https://practice.example/p/${permalinkId}`,
      },
    ]
    const record: CampaignRecord = {
      campaign_id: campaignId,
      name,
      type: 'NEWSLETTER',
      type_code: 10,
      created_at: at,
      updated_at: at,
      activity_ids: activities.map((a) => ({ campaign_activity_id: a.campaign_activity_id, role: a.role })),
    }
    return [record, activities]
  }
  const [x, xActivities] = campaign(
    'Practice message X: spring update',
    'Our spring update',
    'Here is what is new this spring.',
  )
  const [y, yActivities] = campaign('Practice message Y: welcome', 'Welcome aboard', 'Thank you for joining us.')
  data.campaigns = [x, y]
  data.campaign_activities = [...xActivities, ...yActivities]
  return data
}
