import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startSimulator } from '../../../electron/services/cc-simulator/index'
import { importDataElementsWithin } from '../../../electron/services/cc-simulator/import-limits'
import { runSimulatorCommand } from '../../../electron/cli/commands/simulator'
import { CC_LIMITS } from '../../../electron/services/constant-contact/limits'
import { TEST_REQUESTS_PER_SECOND } from '../pace'
import { connectedAccount, tempDir, waitFor, closeAfterEach } from './helpers'

const closeLater = closeAfterEach()

async function setup(speed: 'instant' | 'fast' = 'instant', dataDir?: string) {
  const ctx = await connectedAccount({ speed, ...(dataDir ? { dataDir } : {}) })
  closeLater(ctx.close)
  const client = await ctx.account.client()
  const list = (await client.createList({ name: `List ${Math.random()}` })).list_id!
  const finished = (id: string) =>
    waitFor(
      async () => {
        const a = await client.getActivity(id)
        return ['completed', 'failed', 'timed_out'].includes(a.state!) ? a : undefined
      },
      20_000,
      250,
    )
  return { ...ctx, client, list, finished }
}

describe('imports', () => {
  it('upsert by email, add to the list, count invalid and unsubscribed contacts', async () => {
    const { client, list, finished, sim } = await setup()
    const activity = await client.importContactsJson({
      import_data: [
        { email: 'new@example.com', first_name: 'New' },
        { email: 'ANA.LOPEZ@practice.example', last_name: 'Lopez-Updated' }, // existing, different case
        { email: 'former.member@practice.example' }, // previously unsubscribed
        { email: 'not an address' },
        { first_name: 'No email' },
        { email: 'new@example.com', job_title: 'Second row wins' },
      ],
      list_ids: [list],
    })
    expect(activity.state).toBe('initialized')
    const done = await finished(activity.activity_id!)
    expect(done.status).toEqual({
      items_total_count: 6,
      person_count: 3,
      error_count: 2,
      correctable_count: 2,
      cannot_add_to_list_count: 1,
    })
    expect(sim.control.listMembers(list).sort()).toEqual(['ana.lopez@practice.example', 'new@example.com'])
    const ana = (await client.getContacts({ email: 'ana.lopez@practice.example', include: 'list_memberships' }))
      .contacts![0]!
    expect(ana.last_name).toBe('Lopez-Updated')
    expect(ana.first_name).toBe('Ana') // fields not sent are kept
    expect(ana.list_memberships).toContain(list)
    const fresh = (await client.getContacts({ email: 'new@example.com' })).contacts![0]!
    expect(fresh.email_address).toMatchObject({ permission_to_send: 'implicit', opt_in_source: 'Account' })
    expect(fresh.job_title).toBe('Second row wins')
  })

  it('applies names, birthdays, phones, addresses and custom fields the way imports do, and updates them on a re-import', async () => {
    const { client, list, finished, sim } = await setup()
    const field = await client.createCustomField({ label: 'Colour', type: 'string' })
    const first = await client.importContactsJson({
      import_data: [
        {
          email: 'Fields@Example.com',
          first_name: 'A'.repeat(50),
          birthday_month: 4,
          birthday_day: 30,
          phone: '111',
          home_phone: '444',
          work_phone: '222',
          mobile_phone: '333',
          street: 'Main St',
          street2: 'Apt 2',
          city: 'Paris',
          'home country': 'FR', // read as home_country: replaces the first home address
          work_city: 'Berlin',
          other_zip: '12345',
          [`cf:${field.name}`]: 'blue',
          'cf:nope': 'x',
        } as never,
      ],
      list_ids: [list],
    })
    const done = await finished(first.activity_id!)
    expect(done.status).toMatchObject({ items_total_count: 1, person_count: 1, error_count: 0 })
    expect(done.activity_errors).toEqual(['Contact 1: custom field "nope" does not exist; its value was ignored.'])
    const record = () => sim.control.snapshot().contacts.find((c) => c.address === 'Fields@Example.com')!
    expect(record()).toMatchObject({
      first_name: 'A'.repeat(50),
      birthday_month: 4,
      birthday_day: 30,
      phones: [
        { kind: 'home', phone_number: '444' },
        { kind: 'work', phone_number: '222' },
        { kind: 'mobile', phone_number: '333' },
      ],
      addresses: [
        { kind: 'home', country: 'FR' },
        { kind: 'work', city: 'Berlin' },
        { kind: 'other', postal_code: '12345' },
      ],
      custom_fields: { [field.custom_field_id!]: 'blue' },
      lists: [list],
    })

    const second = await client.importContactsJson({
      import_data: [{ email: 'fields@example.com', other_phone: '555', work_street: 'Elm', work_street2: 'Unit 9' }],
      list_ids: [list],
    })
    await finished(second.activity_id!)
    expect(record()).toMatchObject({
      first_name: 'A'.repeat(50),
      phones: [
        { kind: 'work', phone_number: '222' },
        { kind: 'mobile', phone_number: '333' },
        { kind: 'other', phone_number: '555' },
      ],
      addresses: [
        { kind: 'home', country: 'FR' },
        { kind: 'other', postal_code: '12345' },
        { kind: 'work', street: 'Elm Unit 9' },
      ],
      lists: [list],
    })
    expect(record().addresses.map((a) => Object.keys(a))).toEqual([
      ['kind', 'country'],
      ['kind', 'postal_code'],
      ['kind', 'street'],
    ])
  })

  it('refuses an import holding any value over the documented lengths: 400 with an error per value, naming the field', async () => {
    const { sim, credentials, list } = await setup()
    const token = JSON.parse([...credentials.entries].find(([k]) => k.endsWith('/tokens'))![1]).access_token as string
    const response = await fetch(`${sim.apiBase}/activities/contacts_json_import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        import_data: [
          {
            email: 'fine@example.com',
            first_name: 'A'.repeat(50),
            street: 'S'.repeat(255),
            'cf:note': 'n'.repeat(255),
          },
          { email: `${'x'.repeat(40)}@example.com`, company_name: 'C'.repeat(51) },
          { email: 'emoji@example.com', city: '🏙'.repeat(50), 'cf:note': 'n'.repeat(256) },
        ],
        list_ids: [list],
      }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual([
      {
        error_key: 'activities.api.validation.length',
        error_message: 'import_data[1].email is longer than the 50 characters allowed.',
      },
      {
        error_key: 'activities.api.validation.length',
        error_message: 'import_data[1].company_name is longer than the 50 characters allowed.',
      },
      {
        error_key: 'activities.api.validation.length',
        error_message: 'import_data[2].cf:note is longer than the 255 characters allowed.',
      },
    ])
    expect(sim.control.snapshot().activities.filter((a) => a.kind === 'json_import')).toEqual([])
  })

  it('silently takes only the first 40,000 contacts', async () => {
    const { client, list, finished } = await setup()
    const importData = Array.from({ length: CC_LIMITS.importMaxContacts + 25 }, (_, i) => ({ email: `c${i}@x.co` }))
    const activity = await client.importContactsJson({ import_data: importData, list_ids: [list] })
    expect(activity.status?.items_total_count).toBe(40_000)
    const done = await finished(activity.activity_id!)
    expect(done.status?.person_count).toBe(40_000)
    expect((await client.getContacts({ email: 'c40000@x.co' })).contacts).toHaveLength(0)
    expect((await client.getContacts({ email: 'c39999@x.co' })).contacts).toHaveLength(1)
  })

  it('silently takes only the contacts within the first 4 MB of the request', async () => {
    const { client, list, finished } = await setup()
    const padding = 'x'.repeat(240)
    const importData = Array.from({ length: 20_000 }, (_, i) => ({ email: `wide${i}@x.co`, street: padding }))
    const body = JSON.stringify({ import_data: importData, list_ids: [list] })
    expect(Buffer.byteLength(body)).toBeGreaterThan(CC_LIMITS.importMaxBytes)
    const within = importDataElementsWithin(Buffer.from(body), CC_LIMITS.importMaxBytes)
    // Counted independently: the byte at which each serialised contact's closing brace sits.
    let offset = '{"import_data":['.length
    let expected = 0
    for (const row of importData) {
      const end = offset + JSON.stringify(row).length - 1
      if (end < CC_LIMITS.importMaxBytes) expected++
      offset = end + 2 // past "}" and ","
    }
    expect(within).toBe(expected)
    expect(within).toBeLessThan(importData.length)
    const activity = await client.importContactsJson({ import_data: importData, list_ids: [list] })
    expect(activity.status?.items_total_count).toBe(within)
    await finished(activity.activity_id!)
    expect((await client.getContacts({ email: `wide${within - 1}@x.co` })).contacts).toHaveLength(1)
    expect((await client.getContacts({ email: `wide${within}@x.co` })).contacts).toHaveLength(0)
  })

  it('imports a CSV file and keeps a contact on at most 50 lists', async () => {
    const { client, list, finished } = await setup()
    const activity = await client.importContactsFile({
      csv: 'email,first_name,birthday_month,birthday_day\nfile1@x.co,File,4,31\nfile2@x.co,Two,13,1\n',
      fileName: 'people.csv',
      listIds: [list],
    })
    expect((await finished(activity.activity_id!)).status).toMatchObject({
      items_total_count: 2,
      person_count: 1,
      correctable_count: 1,
    })
    expect(activity.source_file_name).toBe('people.csv')

    const lists: string[] = []
    for (let i = 0; i < 51; i++) lists.push((await client.createList({ name: `Many ${i} ${Math.random()}` })).list_id!)
    const first = await client.importContactsJson({
      import_data: [{ email: 'busy@x.co' }],
      list_ids: lists.slice(0, 50),
    })
    expect((await finished(first.activity_id!)).status?.person_count).toBe(1)
    const second = await client.importContactsJson({ import_data: [{ email: 'busy@x.co' }], list_ids: [lists[50]!] })
    const done = await finished(second.activity_id!)
    expect(done.status).toMatchObject({ person_count: 0, error_count: 1 })
    expect(done.activity_errors?.[0]).toContain('more than 50 lists')
  }, 60_000)

  it('refuses a CSV file import the way Constant Contact does', async () => {
    const { sim, credentials, list } = await setup()
    sim.control.setLimits({ requestsPerSecond: 1000 })
    const token = JSON.parse([...credentials.entries].find(([k]) => k.endsWith('/tokens'))![1]).access_token as string
    const post = async (body: FormData | string, contentType?: string): Promise<[number, string?]> => {
      const response = await fetch(`${sim.apiBase}/activities/contacts_file_import`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, ...(contentType ? { 'Content-Type': contentType } : {}) },
        body,
      })
      const answer = (await response.json()) as Array<{ error_key: string; error_message: string }>
      return response.status === 201 ? [201] : [response.status, answer[0]!.error_message]
    }
    const form = (fields: Record<string, string | [string, string]>): FormData => {
      const data = new FormData()
      for (const [name, value] of Object.entries(fields))
        if (typeof value === 'string') data.set(name, value)
        else data.set(name, new Blob([value[1]], { type: 'text/csv' }), value[0])
      return data
    }
    const csv = 'email\nform@x.co\n'
    // A boundary with capitals, as any client may choose: it is matched exactly.
    const request = new Request('http://x/', { method: 'POST', body: form({ file: ['a.csv', csv], list_ids: list }) })
    const sent = Buffer.from(await request.arrayBuffer())
    const boundary = request.headers.get('content-type')!.split('boundary=')[1]!
    const capitals = sent.toString('latin1').replaceAll(boundary, `${boundary}XyZ`)
    expect(await post(capitals, `multipart/form-data; boundary=${boundary}XyZ`)).toEqual([201])

    expect(await post(form({ file: ['a.csv', csv], list_ids: list }))).toEqual([201])
    expect(await post(JSON.stringify({ list_ids: [list] }), 'application/json')).toEqual([
      415,
      'This endpoint requires that Content-Type be unspecified.',
    ])
    expect(await post(form({ file: ['a.txt', csv], list_ids: list }))).toEqual([
      415,
      'Wrong file format, upload file must be of type .csv',
    ])
    expect(await post(form({ file: csv, list_ids: list }))).toEqual([
      415,
      'Wrong file format, upload file must be of type .csv',
    ])
    expect(await post(form({ list_ids: list }))).toEqual([400, 'file is required.'])
    expect(await post(form({ file: ['a.csv', csv] }))).toEqual([400, 'list_ids is required.'])
    expect(await post(capitals.slice(0, 80), `multipart/form-data; boundary=${boundary}XyZ`)).toEqual([
      400,
      'The multipart request is malformed.',
    ])
    expect(await post(capitals, 'multipart/form-data')).toEqual([400, 'The multipart request has no boundary.'])
  })

  it('runs asynchronously with percent_done rising, and fails or times out on demand', async () => {
    const { client, list, finished, sim } = await setup('fast')
    sim.control.setSpeed({ startDelayMs: 200, itemsPerSecond: 2_000, minDurationMs: 0, sendDurationMs: 0 })
    const activity = await client.importContactsJson({
      import_data: Array.from({ length: 4_000 }, (_, i) => ({ email: `p${i}@x.co` })),
      list_ids: [list],
    })
    const seen = new Set<number>()
    const states = new Set<string>()
    for (;;) {
      const a = await client.getActivity(activity.activity_id!)
      states.add(a.state!)
      seen.add(a.percent_done!)
      if (a.state === 'completed') break
    }
    expect(states).toEqual(new Set(['initialized', 'processing', 'completed']))
    expect([...seen].filter((p) => p > 0 && p < 100).length).toBeGreaterThanOrEqual(2)

    sim.control.failNextActivities({ state: 'failed', atPercent: 50 })
    sim.control.failNextActivities({ state: 'timed_out', atPercent: 0 })
    const failed = await finished(
      (
        await client.importContactsJson({
          import_data: Array.from({ length: 10 }, (_, i) => ({ email: `f${i}@x.co` })),
          list_ids: [list],
        })
      ).activity_id!,
    )
    expect(failed).toMatchObject({ state: 'failed', activity_errors: [expect.stringContaining('failed')] })
    expect(failed.status?.person_count).toBe(5)
    const timedOut = await finished(
      (await client.importContactsJson({ import_data: [{ email: 't@x.co' }], list_ids: [list] })).activity_id!,
    )
    expect(timedOut.state).toBe('timed_out')
    expect((await client.getActivities({ state: 'failed' })).activities!.map((a) => a.activity_id)).toContain(
      failed.activity_id,
    )
  })

  it('adds and removes list memberships and forgets activities after 10 days', async () => {
    const { client, list, finished, sim } = await setup()
    const lists = (await client.getLists({ name: 'Newsletter' })).lists!
    const add = await client.addListMemberships({ list_ids: [list], source: { list_ids: [lists[0]!.list_id!] } })
    expect((await finished(add.activity_id!)).status).toMatchObject({
      items_total_count: 3,
      items_completed_count: 3,
      list_count: 1,
    })
    expect(sim.control.listMembers(list)).toHaveLength(3)
    const remove = await client.removeListMemberships({ list_ids: [list], source: { all_active_contacts: true } })
    await finished(remove.activity_id!)
    expect(sim.control.listMembers(list)).toHaveLength(0)
    sim.control.advanceTime(10 * 24 * 3600_000 + 60_000)
    await expect(client.getActivity(add.activity_id!)).rejects.toMatchObject({ code: 'cc_not_found' })
  })
})

describe('lists, campaigns and state', () => {
  it('caps an account at 1,000 lists and keeps names unique', async () => {
    const { client, sim, credentials } = await setup()
    const token = (
      JSON.parse([...credentials.entries].find(([k]) => k.endsWith('/tokens'))![1]) as { access_token: string }
    ).access_token
    sim.control.setLimits({ requestsPerSecond: 100_000 }) // fill the account quickly, straight through the API
    const create = (name: string) =>
      fetch(`${sim.apiBase}/contact_lists`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
      })
    const missing = CC_LIMITS.listsPerAccount - sim.control.snapshot().lists.length
    for (let i = 0; i < missing; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, missing - i) }, (_, j) => create(`Filler ${i + j}`)),
      )
      expect(batch.every((r) => r.status === 201)).toBe(true)
    }
    sim.control.setLimits({ requestsPerSecond: TEST_REQUESTS_PER_SECOND })
    await expect(client.createList({ name: 'One too many' })).rejects.toMatchObject({
      code: 'cc_rejected',
      message: expect.stringContaining('at most 1000 lists'),
    })
    await expect(client.createList({ name: 'Newsletter' })).rejects.toMatchObject({ code: 'cc_conflict' })
  }, 60_000)

  it('applies the campaign rules: confirmed senders, DRAFT/DONE edits, schedules and test sends', async () => {
    const { client, list, sim } = await setup()
    const summary = (await client.getEmailCampaigns()).campaigns!
    expect(summary.map((c) => c.current_status).slice(0, 2)).toEqual(['Draft', 'Draft'])
    const primaryId = (await client.getEmailCampaign(summary[0]!.campaign_id!)).campaign_activities!.find(
      (a) => a.role === 'primary_email',
    )!.campaign_activity_id!
    const activity = await client.getEmailCampaignActivity(primaryId)
    const senders = new Set(
      (await client.getAccountEmails({ confirm_status: 'CONFIRMED' })).map((e) => e.email_address),
    )
    expect(senders.has(activity.from_email)).toBe(true)
    expect(senders.has(activity.reply_to_email)).toBe(true)

    await expect(client.scheduleEmailCampaignActivity(primaryId, '0')).rejects.toMatchObject({
      code: 'cc_rejected',
      message: expect.stringContaining('no contact lists'),
    })
    const { subject: _omitted, ...withoutSubject } = activity
    await expect(
      client.updateEmailCampaignActivity(primaryId, withoutSubject as typeof activity),
    ).rejects.toMatchObject({ message: expect.stringContaining('subject is required') })
    await client.updateEmailCampaignActivity(primaryId, { ...activity, contact_list_ids: [list] })

    const at = new Date(Date.now() + 3600_000).toISOString()
    expect(await client.scheduleEmailCampaignActivity(primaryId, at)).toEqual([{ scheduled_date: at }])
    await expect(
      client.updateEmailCampaignActivity(primaryId, { ...activity, contact_list_ids: [list] }),
    ).rejects.toMatchObject({ message: expect.stringContaining('only DRAFT, or DONE with format_type 3') })
    await expect(client.scheduleEmailCampaignActivity(primaryId, '0')).rejects.toMatchObject({
      message: expect.stringContaining('only DRAFT, DONE or ERROR'),
    })
    expect(await client.getEmailSchedules(primaryId)).toEqual([{ scheduled_date: at }])
    sim.control.advanceTime(3600_000 + 1_000) // the scheduled time comes
    expect(await client.getSendHistory(primaryId)).toHaveLength(1)
    expect(await client.getEmailSchedules(primaryId)).toEqual([])
    expect(
      (await client.getEmailCampaigns()).campaigns!.find((c) => c.campaign_id === summary[0]!.campaign_id)!
        .current_status,
    ).toBe('Done')

    await client.sendTestEmail(primaryId, { email_addresses: ['a@x.co', 'b@x.co'], personal_message: 'Have a look' })
    expect(sim.control.testSends()).toEqual([
      expect.objectContaining({ campaign_activity_id: primaryId, email_addresses: ['a@x.co', 'b@x.co'] }),
    ])
  })

  it('keeps its state in the data folder across restarts, with no usable secret in it', async () => {
    const dataDir = tempDir('sim-state')
    const { client, list, credentials, close } = await setup('instant', dataDir)
    await client.importContactsJson({ import_data: [{ email: 'kept@x.co' }], list_ids: [list] })
    await close()
    const tokens = JSON.parse([...credentials.entries].find(([k]) => k.endsWith('/tokens'))![1]) as {
      access_token: string
      refresh_token: string
    }
    const file = readFileSync(join(dataDir, 'cc-simulator-state.jsonl'), 'utf8')
    expect(file).not.toContain(tokens.access_token)
    expect(file).not.toContain(tokens.refresh_token)
    const again = await startSimulator({ dataDir })
    closeLater(() => again.close())
    expect(again.control.listMembers(list)).toEqual(['kept@x.co'])
    // The tokens issued before the restart still work, as a real service's would.
    const response = await fetch(`${again.apiBase}/contact_lists`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    })
    expect(response.status).toBe(200)
  })
})

describe('splitsend simulator', () => {
  it('prints its addresses and stops when asked', async () => {
    let output = ''
    let stop!: () => void
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    const run = runSimulatorCommand(
      ['--auto-approve', '--speed', 'fast', '--empty'],
      { stdout: (t) => (output += t), stderr: (t) => (output += t) },
      stopped,
    )
    const apiBase = await waitFor(() => /API:\s+(\S+)/.exec(output)?.[1])
    expect(output).toMatch(/Authorization server:\s+http:\/\/127\.0\.0\.1:\d+\/oauth2\/default\/v1/)
    const unauthorized = await fetch(`${apiBase}/contact_lists`)
    expect(unauthorized.status).toBe(401)
    stop()
    await expect(run).resolves.toBe(0)
    await expect(fetch(`${apiBase}/contact_lists`)).rejects.toThrow()
  })
})
