import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'
import { OPERATIONS } from '../../../electron/services/constant-contact/openapi/trim'
import { connectedAccount, waitFor } from './helpers'

/**
 * Walks every operation of the trimmed official description against the local Constant Contact and
 * validates each answer's body against the response schema the description gives for its status.
 */
const spec = parse(
  readFileSync(
    new URL('../../../electron/services/constant-contact/openapi/cc-v3-trimmed.yaml', import.meta.url),
    'utf8',
  ),
) as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >
  components: { schemas: Record<string, unknown> }
}

const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
for (const format of ['int32', 'int64', 'csv', 'binary']) ajv.addFormat(format, true)
ajv.addSchema({ $id: 'cc.json', components: spec.components }, 'cc.json')

const validators = new Map<string, ValidateFunction>()
function validatorFor(path: string, method: string, status: number): ValidateFunction | undefined {
  const key = `${method} ${path} ${status}`
  if (!validators.has(key)) {
    const schema = spec.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema
    if (!schema) return undefined
    validators.set(
      key,
      ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"cc.json#/components'))),
    )
  }
  return validators.get(key)
}

function validateError(body: unknown): boolean {
  const schema = Array.isArray(body) ? 'APIErrorSchema' : 'AuthorizationErrorSchema'
  return (
    ajv.validate({ $ref: `cc.json#/components/schemas/${schema}` }, body) &&
    (Array.isArray(body) ? body.length > 0 : typeof (body as { error_key?: unknown }).error_key === 'string')
  )
}

let ctx: Awaited<ReturnType<typeof connectedAccount>>
let token: string
const covered = new Set<string>()

beforeAll(async () => {
  ctx = await connectedAccount({ speed: 'instant' })
  token = JSON.parse([...ctx.credentials.entries].find(([k]) => k.endsWith('/tokens'))![1]).access_token as string
})
afterAll(async () => ctx.close())

/** One call straight to the API (outside the client, so nothing is smoothed over), validated. */
async function call(
  method: string,
  specPath: string,
  path: string,
  init: { json?: unknown; form?: FormData; expect?: number } = {},
): Promise<unknown> {
  const response = await fetch(`${ctx.sim.apiBase}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: init.form ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
  })
  const text = await response.text()
  const body = text ? JSON.parse(text) : undefined
  expect(response.status, `${method} ${path}: ${text}`).toBe(init.expect ?? 200)
  const m = method.toLowerCase()
  expect(
    spec.paths[specPath]?.[m]?.responses[String(response.status)],
    `${method} ${specPath} documents ${response.status}`,
  ).toBeDefined()
  if (response.status >= 400) {
    expect(validateError(body), `${method} ${path} error body ${text}`).toBe(true)
  } else {
    const validate = validatorFor(specPath, m, response.status)
    if (validate) {
      expect(validate(body), `${method} ${path}: ${ajv.errorsText(validate.errors)}`).toBe(true)
    } else {
      expect(text, `${method} ${path} answers ${response.status} with no body`).toBe('')
    }
  }
  covered.add(`${m} ${specPath}`)
  return body
}

describe('every answer of the local Constant Contact validates against the trimmed official description', () => {
  it('walks each operation', async () => {
    await call('GET', '/account/summary', '/account/summary?extra_fields=physical_address')
    await call('GET', '/account/emails', '/account/emails?confirm_status=CONFIRMED')

    const created = (await call('POST', '/contact_lists', '/contact_lists', {
      json: { name: 'Spec walk', description: 'made by a test' },
      expect: 201,
    })) as { list_id: string }
    await call('POST', '/contact_lists', '/contact_lists', { json: { name: 'Spec walk' }, expect: 409 })
    await call('GET', '/contact_lists', '/contact_lists?include_count=true&include_membership_count=all&limit=2')
    await call('GET', '/contact_lists', `/contact_lists?name=${encodeURIComponent('Spec walk')}`)
    await call('GET', '/contact_lists/{list_id}', `/contact_lists/${created.list_id}?include_membership_count=active`)
    await call('GET', '/contact_lists/{list_id}', '/contact_lists/00000000-0000-4000-8000-000000000000', {
      expect: 404,
    })

    await call('POST', '/contact_custom_fields', '/contact_custom_fields', {
      json: { label: 'Favourite colour', type: 'string' },
      expect: 201,
    })
    await call('GET', '/contact_custom_fields', '/contact_custom_fields?limit=100')

    const json = (await call('POST', '/activities/contacts_json_import', '/activities/contacts_json_import', {
      json: {
        import_data: [
          {
            email: 'walk1@example.com',
            first_name: 'Walk',
            'cf:Favourite_colour': 'blue',
            phone: '555-0101',
            street: '1 Main St',
            city: 'Boston',
          },
          { email: 'not-an-address' },
        ],
        list_ids: [created.list_id],
      },
      expect: 201,
    })) as { activity_id: string }
    const form = new FormData()
    form.set('file', new Blob(['email,first_name\nwalk2@example.com,Second\n'], { type: 'text/csv' }), 'walk.csv')
    form.set('list_ids', created.list_id)
    await call('POST', '/activities/contacts_file_import', '/activities/contacts_file_import', { form, expect: 201 })
    await call('POST', '/activities/contacts_json_import', '/activities/contacts_json_import', {
      json: { import_data: [], list_ids: [] },
      expect: 400,
    })

    const done = await waitFor(async () => {
      const a = (await call('GET', '/activities/{activity_id}', `/activities/${json.activity_id}`)) as { state: string }
      return a.state === 'completed' ? a : undefined
    })
    expect(done).toMatchObject({ state: 'completed' })
    await call('GET', '/activities/{activity_id}', '/activities/unknown-activity', { expect: 404 })

    const contacts = (await call(
      'GET',
      '/contacts',
      `/contacts?lists=${created.list_id}&include=list_memberships,custom_fields,phone_numbers,street_addresses&include_count=true`,
    )) as {
      contacts: Array<{ contact_id: string }>
    }
    await call('GET', '/contacts', '/contacts?email=walk1%40example.com&status=all')
    const contactId = contacts.contacts[0]!.contact_id
    const other = (await call('POST', '/contact_lists', '/contact_lists', {
      json: { name: 'Spec walk 2' },
      expect: 201,
    })) as { list_id: string }
    await call('POST', '/activities/add_list_memberships', '/activities/add_list_memberships', {
      json: { list_ids: [other.list_id], source: { contact_ids: [contactId] } },
      expect: 201,
    })
    await call('POST', '/activities/remove_list_memberships', '/activities/remove_list_memberships', {
      json: { list_ids: [other.list_id], source: { list_ids: [created.list_id] } },
      expect: 201,
    })
    await call('GET', '/activities', '/activities?limit=2')
    await call('GET', '/activities', '/activities?state=completed')

    const campaigns = (await call('GET', '/emails', '/emails?limit=1')) as {
      campaigns: Array<{ campaign_id: string }>
      _links: { next?: { href: string } }
    }
    expect(campaigns._links.next?.href).toMatch(/^\/v3\/emails\?cursor=/)
    await call('GET', '/emails', campaigns._links.next!.href.slice(3))
    const campaign = (await call('GET', '/emails/{campaign_id}', `/emails/${campaigns.campaigns[0]!.campaign_id}`)) as {
      campaign_activities: Array<{ campaign_activity_id: string; role: string }>
    }
    const primaryId = campaign.campaign_activities.find((a) => a.role === 'primary_email')!.campaign_activity_id
    const activity = (await call(
      'GET',
      '/emails/activities/{campaign_activity_id}',
      `/emails/activities/${primaryId}?include=html_content,physical_address_in_footer,permalink_url`,
    )) as Record<string, unknown>
    await call('PUT', '/emails/activities/{campaign_activity_id}', `/emails/activities/${primaryId}`, {
      json: { ...activity, from_email: 'unconfirmed@practice.example' },
      expect: 400,
    })
    await call('PUT', '/emails/activities/{campaign_activity_id}', `/emails/activities/${primaryId}`, {
      json: { ...activity, contact_list_ids: [created.list_id] },
    })
    await call('POST', '/emails/activities/{campaign_activity_id}/tests', `/emails/activities/${primaryId}/tests`, {
      json: { email_addresses: ['me@example.com'] },
      expect: 204,
    })
    const future = new Date(Date.now() + 86_400_000).toISOString()
    const scheduled = await call(
      'POST',
      '/emails/activities/{campaign_activity_id}/schedules',
      `/emails/activities/${primaryId}/schedules`,
      { json: { scheduled_date: future }, expect: 201 },
    )
    expect(scheduled).toEqual([{ scheduled_date: future }])
    await call(
      'GET',
      '/emails/activities/{campaign_activity_id}/schedules',
      `/emails/activities/${primaryId}/schedules`,
    )
    await call(
      'DELETE',
      '/emails/activities/{campaign_activity_id}/schedules',
      `/emails/activities/${primaryId}/schedules`,
      { expect: 204 },
    )
    expect(
      await call(
        'POST',
        '/emails/activities/{campaign_activity_id}/schedules',
        `/emails/activities/${primaryId}/schedules`,
        { json: { scheduled_date: '0' }, expect: 201 },
      ),
    ).toEqual([])
    await call(
      'POST',
      '/emails/activities/{campaign_activity_id}/schedules',
      `/emails/activities/${primaryId}/schedules`,
      { json: { scheduled_date: 'tomorrow' }, expect: 400 },
    )
    // Sending a DONE activity again reaches only contacts who are new on its lists: none here.
    expect(
      await call(
        'POST',
        '/emails/activities/{campaign_activity_id}/schedules',
        `/emails/activities/${primaryId}/schedules`,
        { json: { scheduled_date: '0' }, expect: 201 },
      ),
    ).toEqual([])
    const history = (await call(
      'GET',
      '/emails/activities/{campaign_activity_id}/send_history',
      `/emails/activities/${primaryId}/send_history`,
    )) as Array<{ count: number }>
    expect(history.map((h) => h.count)).toEqual([2, 0]) // walk1 and walk2; the invalid address was never added

    // Bearer checks: the documented 401 body.
    const unauthorized = await fetch(`${ctx.sim.apiBase}/contact_lists`, { headers: { Authorization: 'Bearer nope' } })
    expect(unauthorized.status).toBe(401)
    expect(validateError(await unauthorized.json())).toBe(true)

    const expected = OPERATIONS.map(([p, m]) => `${m} ${p}`).sort()
    expect([...covered].sort()).toEqual(expected)
  })
})

describe('the validator itself', () => {
  it('rejects bodies that break the description', () => {
    const validate = validatorFor('/contact_lists', 'get', 200)!
    expect(validate({ lists: [{ list_id: 'not-a-uuid', name: 'x' }] })).toBe(false)
    expect(validate({ lists: [{ name: 'no id' }] })).toBe(false)
    expect(validate({ lists: [{ list_id: '5b387472-aaca-4a51-b59e-b3f93f346d02', name: 'ok' }] })).toBe(true)
    expect(validateError({ error: 'not our shape' })).toBe(false)
  })
})
