import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'
import { OPERATIONS } from '../../../electron/services/constant-contact/openapi/trim'
import { allPages } from '../../../electron/services/constant-contact/client'
import { planUpload, startUpload } from '../../../electron/services/upload/index'
import {
  campaignDetails,
  fixedUploadOutcomes,
  listCampaigns,
  preflight,
  send,
  sendCopy,
  sendState,
  sendTest,
  unschedule,
} from '../../../electron/services/send/index'
import { preparedJob } from '../upload/helpers'
import { connectedAccount, waitFor } from './helpers'

/**
 * The conformance check (issue 14, "Done when"): every request the client builds and every answer
 * the local Constant Contact gives, for each operation Splitsend uses, validated against Constant
 * Contact's official description — the verbatim copy in the repository, not the trimmed one made
 * from it for the types. The description's known bugs are listed once, below, and are the only
 * departures the check allows.
 *
 * The requests come from Splitsend's own code doing its work (the client's calls, a real upload of
 * a prepared file, a real test send, schedule, unschedule and send); the answers from those and from
 * a walk that also asks for the refusals (400, 404, 409, 401).
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface Parameter {
  name: string
  in: 'query' | 'path' | 'header'
  schema: JsonObject
  explode?: boolean
}
interface Operation {
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: Json }> }
  responses: Record<string, { content?: Record<string, { schema: Json }> }>
}
interface Description {
  paths: Record<string, Record<string, Operation> & { parameters?: Parameter[] }>
  components: { schemas: Record<string, JsonObject> }
}

const OFFICIAL = new URL('../../../electron/services/constant-contact/openapi/cc-v3-openapi.yaml', import.meta.url)
const readOfficial = (): Description => parse(readFileSync(OFFICIAL, 'utf8')) as Description

/**
 * Where the official description is wrong about what Constant Contact documents elsewhere, and what
 * the check accepts instead. Each `accept` changes the description and says in how many places; a
 * bug that is no longer there (a newer description) fails the check, so this list stays true.
 */
const KNOWN_SPEC_BUGS: ReadonlyArray<{ bug: string; source: string; accept(doc: Description): number }> = [
  {
    bug: '`maxItems: 0` on arrays whose text says 50 or 500 entries (remove_list_memberships and others)',
    source: 'constant-contact-v3.md §3.4, §8',
    accept: (doc) => removeZeroMaxItems(doc.components as unknown as Json),
  },
  {
    bug: '`scheduled_date` of a schedule request is `format: date-time`, yet "0" (send now) is its documented value',
    source: 'constant-contact-v3.md §5 step 5 (POST /emails/activities/{id}/schedules)',
    accept: (doc) => {
      const properties = doc.components.schemas.scheduleEmailCampaignActivity_request?.properties as JsonObject
      const scheduled = properties?.scheduled_date as JsonObject | undefined
      if (scheduled?.format !== 'date-time') return 0
      properties.scheduled_date = { anyOf: [scheduled, { const: '0' }] }
      return 1
    },
  },
  {
    bug: 'paged answers link to the next page with a `cursor` query parameter no operation declares',
    source: 'constant-contact-v3.md §4 (_links.next.href); the description’s own text for GET /contact_tags',
    accept: (doc) => {
      let added = 0
      for (const [path, method] of OPERATIONS) {
        const operation = doc.paths[path]![method]!
        const ok = deref(doc, operation.responses['200']?.content?.['application/json']?.schema ?? null)
        const links = deref(doc, (ok?.properties as JsonObject | undefined)?._links ?? null)
        const paged = (links?.properties as JsonObject | undefined)?.next !== undefined
        if (!paged || operation.parameters?.some((p) => p.name === 'cursor')) continue
        operation.parameters = [
          ...(operation.parameters ?? []),
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ]
        added++
      }
      return added
    },
  },
]

function removeZeroMaxItems(node: Json): number {
  if (Array.isArray(node)) return node.reduce<number>((n, item) => n + removeZeroMaxItems(item), 0)
  if (node === null || typeof node !== 'object') return 0
  let removed = 0
  if (node.maxItems === 0) {
    delete node.maxItems
    removed++
  }
  for (const value of Object.values(node)) removed += removeZeroMaxItems(value)
  return removed
}

/** A schema, its `$ref` followed (within the description's schemas). */
function deref(doc: Description, schema: Json): JsonObject | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined
  const ref = /^#\/components\/schemas\/(.+)$/.exec(String(schema.$ref ?? ''))?.[1]
  return ref ? deref(doc, doc.components.schemas[ref] ?? null) : schema
}

/** The description as the check uses it: the official one, with exactly the known bugs accepted. */
function checkedDescription(): { doc: Description; accepted: number[] } {
  const doc = readOfficial()
  return { doc, accepted: KNOWN_SPEC_BUGS.map((known) => known.accept(doc)) }
}

// ---------------------------------------------------------------------------------------------
// Validators compiled from a description

function validatorsFor(doc: Description) {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  // Formats the description uses that say nothing a JSON value can break (numbers' widths, a file,
  // a comma-separated list: its items are checked one by one where it is a query parameter).
  for (const format of ['int32', 'int64', 'float', 'double', 'binary', 'csv']) ajv.addFormat(format, true)
  ajv.addSchema({ $id: 'cc.json', components: doc.components }, 'cc.json')
  const cache = new Map<string, ValidateFunction>()
  const compile = (schema: Json): ValidateFunction => {
    const text = JSON.stringify(schema).replaceAll('"#/components', '"cc.json#/components')
    let validate = cache.get(text)
    if (!validate) cache.set(text, (validate = ajv.compile(JSON.parse(text) as object)))
    return validate
  }
  const operations = OPERATIONS.map(([path, method]) => ({
    key: `${method} ${path}`,
    path,
    method,
    operation: doc.paths[path]![method]!,
    shared: doc.paths[path]!.parameters ?? [],
    pattern: new RegExp(`^/v3${path.replace(/\{\w+\}/g, '([^/]+)')}$`),
    names: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  }))
  const find = (method: string, url: URL) => {
    const candidates = operations.filter((o) => o.method === method.toLowerCase() && o.pattern.test(url.pathname))
    // /activities/contacts_json_import, not /activities/{activity_id}
    return candidates.sort((a, b) => a.names.length - b.names.length)[0]
  }
  const errorShape = (body: unknown): boolean =>
    Array.isArray(body)
      ? body.length > 0 && compile({ $ref: '#/components/schemas/APIErrorSchema' })(body)
      : typeof (body as { error_key?: unknown })?.error_key === 'string' &&
        compile({ $ref: '#/components/schemas/AuthorizationErrorSchema' })(body)
  const problems = (validate: ValidateFunction): string => ajv.errorsText(validate.errors)

  /** What is wrong with a request Splitsend built ([] when nothing is). */
  function checkRequest(exchange: Exchange): string[] {
    const url = new URL(exchange.url)
    const found = find(exchange.method, url)
    if (!found) return [`${exchange.method} ${url.pathname} is no operation Splitsend uses`]
    const wrong: string[] = []
    const declared = [...found.shared, ...(found.operation.parameters ?? [])]
    const match = found.pattern.exec(url.pathname)!
    found.names.forEach((name, i) => {
      const parameter = declared.find((p) => p.in === 'path' && p.name === name)
      if (!parameter) wrong.push(`path parameter ${name} is not declared`)
      else wrong.push(...checkValue(parameter, [decodeURIComponent(match[i + 1]!)]))
    })
    for (const name of new Set(url.searchParams.keys())) {
      const parameter = declared.find((p) => p.in === 'query' && p.name === name)
      if (!parameter) wrong.push(`query parameter ${name} is not declared`)
      else wrong.push(...checkValue(parameter, url.searchParams.getAll(name)))
    }
    const body = found.operation.requestBody
    if (exchange.body === undefined) {
      if (body) wrong.push('the request has no body')
    } else {
      const mediaType = exchange.contentType?.split(';')[0]?.trim() ?? (exchange.form ? 'multipart/form-data' : '')
      const schema = body?.content[mediaType]?.schema
      if (!schema) wrong.push(`a ${mediaType || 'body'} is not what ${found.key} takes`)
      else {
        const validate = compile(schema)
        if (!validate(exchange.body)) wrong.push(`body: ${problems(validate)}`)
      }
    }
    return wrong.map((w) => `${exchange.method} ${url.pathname}${url.search}: ${w}`)
  }

  /** A parameter's value(s) as sent, against its schema (`format: csv` strings item by item). */
  function checkValue(parameter: Parameter, values: string[]): string[] {
    const schema = parameter.schema
    if (values.length > 1 && schema.type !== 'array') return [`${parameter.name} is given ${values.length} times`]
    const { format, ...plain } = schema
    const items = format === 'csv' ? values[0]!.split(',') : values
    const wrong: string[] = []
    for (const item of items) {
      const value =
        schema.type === 'integer' || schema.type === 'number'
          ? Number(item)
          : schema.type === 'boolean'
            ? item === 'true'
              ? true
              : item === 'false'
                ? false
                : item
            : item
      const validate = compile(format === 'csv' ? plain : schema)
      if (!validate(value)) wrong.push(`${parameter.name}=${item}: ${problems(validate)}`)
    }
    return wrong
  }

  /** What is wrong with an answer of the local Constant Contact ([] when nothing is). */
  function checkAnswer(exchange: Exchange): string[] {
    const url = new URL(exchange.url)
    const found = find(exchange.method, url)
    const where = `${exchange.method} ${url.pathname} → ${exchange.status}`
    if (!found) return [`${where}: no operation Splitsend uses`]
    const documented = found.operation.responses[String(exchange.status)]
    if (!documented) return [`${where}: the description documents no ${exchange.status} for ${found.key}`]
    const text = exchange.answerText
    if (exchange.status >= 400) return errorShape(JSON.parse(text || 'null')) ? [] : [`${where}: error body ${text}`]
    // A file answer (an export's CSV): the description declares it a string; its columns are the
    // simulator's own tests' business.
    if (documented.content?.['text/csv']) return text !== '' ? [] : [`${where}: an empty file`]
    const schema = documented.content?.['application/json']?.schema
    if (!schema) return text === '' ? [] : [`${where}: a body where the description has none`]
    const validate = compile(schema)
    return validate(JSON.parse(text)) ? [] : [`${where}: ${problems(validate)}`]
  }

  return { checkRequest, checkAnswer, find, compile }
}

// ---------------------------------------------------------------------------------------------
// Recording what goes over the wire

interface Exchange {
  method: string
  url: string
  contentType?: string
  /** JSON parsed, or a multipart form as an object of its fields (a file is "(file)"). */
  body?: unknown
  form?: boolean
  status: number
  answerText: string
  /** Sent by the walk on purpose (refusals asked for), not built by Splitsend's code. */
  probe: boolean
}

const exchanges: Exchange[] = []
let probing = false

function recordingFetch(apiBase: () => string): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init)
    const url = String(input instanceof Request ? input.url : input)
    if (!url.startsWith(apiBase())) return response
    const headers = new Headers(init?.headers)
    const raw = init?.body
    let body: unknown
    if (raw instanceof FormData)
      body = Object.fromEntries([...raw.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '(file)']))
    else if (typeof raw === 'string') body = JSON.parse(raw)
    else if (raw instanceof Uint8Array) body = JSON.parse(new TextDecoder().decode(raw))
    exchanges.push({
      method: init?.method ?? 'GET',
      url,
      ...(headers.get('content-type') ? { contentType: headers.get('content-type')! } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(raw instanceof FormData ? { form: true } : {}),
      status: response.status,
      answerText: await response.clone().text(),
      probe: probing,
    })
    return response
  }
}

// ---------------------------------------------------------------------------------------------

let ctx: Awaited<ReturnType<typeof connectedAccount>>
const checked = checkedDescription()
const validators = validatorsFor(checked.doc)

beforeAll(async () => {
  let apiBase = 'http://unset'
  ctx = await connectedAccount({ speed: 'instant' }, { fetch: recordingFetch(() => apiBase) })
  apiBase = ctx.sim.apiBase
  await splitsendAtWork()
  await walkTheRefusals()
}, 120_000)
afterAll(async () => ctx.close())

/** Splitsend's own code doing everything it does with Constant Contact. */
async function splitsendAtWork(): Promise<void> {
  const client = await ctx.account.client()
  await client.getAccountSummary({ extra_fields: 'physical_address' })
  await client.getAccountEmails({ confirm_status: 'CONFIRMED' })
  for await (const _ of allPages(
    () => client.getLists({ limit: 1, include_count: true, include_membership_count: 'all' }),
    (next) => client.getLists(next),
  ));
  for await (const _ of allPages(
    () => client.getCustomFields({ limit: 1 }),
    (next) => client.getCustomFields(next),
  ));
  for await (const _ of allPages(
    () => client.getEmailCampaigns({ limit: 1 }),
    (next) => client.getEmailCampaigns(next),
  ));

  // A real upload of a prepared file with a custom field: lists and the field made, imports, polls.
  const job = await preparedJob({ group0: 3, group1: 2, problems: 1, customFields: 1, tag: 'spec' })
  const plan = await planUpload(job.dir, client, {
    lists: { '0': { kind: 'name', name: 'Spec group 0' }, '1': { kind: 'name', name: 'Spec group 1' } },
    createLists: true,
    createCustomFields: true,
  })
  const uploaded = await startUpload(job.dir, client, { plan }).done
  expect(uploaded.outcome).toBe('all_added')
  const lists = (await client.getLists({ limit: 50 })).lists!
  const list0 = lists.find((l) => l.name === 'Spec group 0')!.list_id!
  const list1 = lists.find((l) => l.name === 'Spec group 1')!.list_id!

  for await (const _ of allPages(
    () =>
      client.getContacts({ lists: list0, include: 'list_memberships,custom_fields', limit: 1, include_count: true }),
    (next) => client.getContacts(next),
  ));
  await client.getContacts({ email: 'spec0@example.com', status: 'all', include: 'list_memberships' })
  await client.getList(list0, { include_membership_count: 'all' })
  for await (const _ of allPages(
    () => client.getActivities({ limit: 1 }),
    (next) => client.getActivities(next),
  ));
  const contactId = (await client.getContacts({ lists: list0 })).contacts![0]!.contact_id!
  await settled(
    client,
    (await client.addListMemberships({ list_ids: [list1], source: { contact_ids: [contactId] } })).activity_id!,
  )
  await settled(
    client,
    (await client.removeListMemberships({ list_ids: [list1], source: { contact_ids: [contactId] } })).activity_id!,
  )
  // A list's members read the way the membership step reads them: an export, then its file.
  const exported = await client.createContactExport({ list_ids: [list0], fields: ['email_address'] })
  await settled(client, exported.activity_id!)
  const file = await client.readContactExportFile(exported.activity_id!, (body) => new Response(body).text())
  expect(file.split(/\r?\n/)[0]).toMatch(/^contact_id,/)
  await settled(
    client,
    (
      await client.importContactsFile({
        csv: 'email,first_name\nspec-file@example.com,File\n',
        fileName: 'spec.csv',
        listIds: [list0],
      })
    ).activity_id!,
  )

  // A real test send, a schedule for tomorrow taken back, and a send now.
  const campaign = (await listCampaigns(client)).find((c) => c.selectable)!
  await campaignDetails(client, campaign.campaignId)
  const uploads = fixedUploadOutcomes([
    { group: '0', listId: list0, listName: 'Spec group 0', contactsAdded: 3, finished: true },
    { group: '1', listId: list1, listName: 'Spec group 1', contactsAdded: 2, finished: true },
  ])
  await preflight(job.dir, client, '0', campaign.campaignId, { uploads })
  await sendTest(client, { campaignId: campaign.campaignId, addresses: ['me@example.com'] })
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString()
  await send(job.dir, client, { group: '0', campaignId: campaign.campaignId, when: tomorrow }, { uploads })
  await unschedule(job.dir, client, '0')
  await send(job.dir, client, { group: '0', campaignId: campaign.campaignId, when: 'now' }, { uploads })
  await sendState(job.dir, client)
  // A campaign Constant Contact won't re-address (sent before, custom code): a dated copy, sent.
  const sentBefore = (await listCampaigns(client)).find((c) => c.name === 'Practice: April offer (sent, custom code)')!
  await sendCopy(job.dir, client, { group: '1', campaignId: sentBefore.campaignId, when: 'now' }, { uploads })
}

async function settled(client: Awaited<ReturnType<typeof ctx.account.client>>, activityId: string): Promise<void> {
  await waitFor(
    async () => ((await client.getActivity(activityId)).state === 'completed' ? true : undefined),
    10_000,
    50,
  )
}

/** Asks on purpose for the refusals Splitsend meets, so their answers are checked too. */
async function walkTheRefusals(): Promise<void> {
  const token = JSON.parse([...ctx.credentials.entries].find(([k]) => k.endsWith('/tokens'))![1]).access_token as string
  const client = await ctx.account.client()
  const call = async (method: string, path: string, json?: unknown, bearer = token): Promise<number> => {
    const fetcher = recordingFetch(() => ctx.sim.apiBase)
    const response = await fetcher(`${ctx.sim.apiBase}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    })
    return response.status
  }
  probing = true
  try {
    const list = (await client.getLists({ limit: 50 })).lists![0]!
    expect(await call('POST', '/contact_lists', { name: list.name })).toBe(409)
    expect(await call('GET', '/contact_lists/00000000-0000-4000-8000-000000000000')).toBe(404)
    expect(await call('POST', '/activities/contacts_json_import', { import_data: [], list_ids: [] })).toBe(400)
    expect(await call('GET', '/activities/unknown-activity')).toBe(404)
    const contactId = '00000000-0000-4000-8000-000000000001'
    const removal = { list_ids: [list.list_id!], source: { contact_ids: [contactId] } }
    expect(
      await call('POST', '/activities/remove_list_memberships', { ...removal, exclude: { contact_ids: [contactId] } }),
    ).toBe(400)
    expect(
      await call('POST', '/activities/remove_list_memberships', {
        ...removal,
        list_ids: ['00000000-0000-4000-8000-000000000000'],
      }),
    ).toBe(404)
    expect(
      await call('POST', '/activities/contact_exports', { list_ids: [list.list_id!], fields: ['shoe_size'] }),
    ).toBe(400)
    expect(await call('GET', '/contact_exports/00000000-0000-4000-8000-000000000000')).toBe(404)
    const campaign = (await client.getEmailCampaigns({ limit: 1 })).campaigns![0]!
    const primary = (await client.getEmailCampaign(campaign.campaign_id!)).campaign_activities!.find(
      (a) => a.role === 'primary_email',
    )!.campaign_activity_id!
    const activity = await client.getEmailCampaignActivity(primary)
    expect(
      await call('PUT', `/emails/activities/${primary}`, { ...activity, from_email: 'unconfirmed@practice.example' }),
    ).toBe(400)
    expect(await call('POST', `/emails/activities/${primary}/schedules`, { scheduled_date: 'tomorrow' })).toBe(400)
    const copy = {
      format_type: 5,
      from_name: 'Walk',
      from_email: 'news@practice.example',
      reply_to_email: 'owner@practice.example',
      subject: 'A copy',
      html_content: '<html><body><p>Hello</p>[[trackingImage]]</body></html>',
    }
    expect(await call('POST', '/emails', { name: campaign.name, email_campaign_activities: [copy] })).toBe(409)
    const noImage = { ...copy, html_content: '<p>Hello</p>' }
    expect(await call('POST', '/emails', { name: 'Spec walk', email_campaign_activities: [noImage] })).toBe(400)
    // A sent custom-code email can't be re-addressed.
    const sent = (await listCampaigns(client)).find((c) => c.name === 'Practice: April offer (sent, custom code)')!
    const sentEmail = (await client.getEmailCampaign(sent.campaignId)).campaign_activities!.find(
      (a) => a.role === 'primary_email',
    )!.campaign_activity_id!
    const email = await client.getEmailCampaignActivity(sentEmail)
    expect(await call('PUT', `/emails/activities/${sentEmail}`, { ...email, contact_list_ids: [list.list_id] })).toBe(
      400,
    )
    expect(await call('GET', '/contact_lists', undefined, 'not-a-token')).toBe(401)
  } finally {
    probing = false
  }
}

const operationKeys = (list: Exchange[]) =>
  [...new Set(list.map((e) => validators.find(e.method, new URL(e.url))?.key ?? `? ${e.method} ${e.url}`))].sort()
const allOperations = OPERATIONS.map(([path, method]) => `${method} ${path}`).sort()

describe('the client and the local Constant Contact against the official description', () => {
  it('accepts each known spec bug where it still is, and nothing else', () => {
    expect(
      checked.accepted.every((places) => places > 0),
      JSON.stringify(checked.accepted),
    ).toBe(true)
  })

  it('every request Splitsend builds is one the description allows', () => {
    const built = exchanges.filter((e) => !e.probe)
    expect(built.flatMap((e) => validators.checkRequest(e))).toEqual([])
    expect(operationKeys(built)).toEqual(allOperations)
  })

  it('every answer of the local Constant Contact is one the description documents, in its shape', () => {
    expect(exchanges.flatMap((e) => validators.checkAnswer(e))).toEqual([])
    expect(operationKeys(exchanges)).toEqual(allOperations)
    expect(new Set(exchanges.map((e) => e.status))).toEqual(new Set([200, 201, 204, 400, 401, 404, 409]))
  })
})

describe('the check itself', () => {
  it('finds a body, a parameter or an answer that breaks the description', () => {
    const base = `${ctx.sim.apiBase}`
    const exchange = (e: Partial<Exchange>): Exchange => ({
      method: 'GET',
      url: base,
      status: 200,
      answerText: '',
      probe: false,
      ...e,
    })
    expect(
      validators.checkRequest(
        exchange({
          method: 'POST',
          url: `${base}/contact_lists`,
          contentType: 'application/json',
          body: { description: 'no name' },
        }),
      ),
    ).toEqual([expect.stringContaining("must have required property 'name'")])
    expect(validators.checkRequest(exchange({ url: `${base}/contact_lists?limt=5` }))).toEqual([
      expect.stringContaining('query parameter limt is not declared'),
    ])
    expect(validators.checkRequest(exchange({ url: `${base}/contacts?include=list_memberships,everything` }))).toEqual([
      expect.stringContaining('include=everything'),
    ])
    expect(validators.checkRequest(exchange({ url: `${base}/contact_lists?limit=2000` }))).toEqual([
      expect.stringContaining('limit=2000'),
    ])
    expect(
      validators.checkAnswer(
        exchange({ url: `${base}/contact_lists`, answerText: '{"lists":[{"list_id":"not-a-uuid","name":"x"}]}' }),
      ),
    ).toEqual([expect.stringContaining('format "uuid"')])
    expect(validators.checkAnswer(exchange({ url: `${base}/contact_lists`, status: 418, answerText: '' }))).toEqual([
      expect.stringContaining('documents no 418'),
    ])
    expect(
      validators.checkAnswer(exchange({ url: `${base}/contact_lists`, status: 400, answerText: '{"error":"x"}' })),
    ).toEqual([expect.stringContaining('error body')])
  })

  it('without its list of known bugs, the official description would refuse what Splitsend really sends', () => {
    const strict = validatorsFor(readOfficial())
    const wrong = exchanges.filter((e) => !e.probe).flatMap((e) => strict.checkRequest(e))
    expect(wrong.some((w) => /remove_list_memberships: body: .*must NOT have more than 0 items/.test(w))).toBe(true)
    expect(wrong.some((w) => /schedules: body: .*must match format "date-time"/.test(w))).toBe(true)
    expect(wrong.some((w) => /query parameter cursor is not declared/.test(w))).toBe(true)
  })
})
