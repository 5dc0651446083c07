/**
 * Produces `cc-v3-trimmed.yaml`: the part of Constant Contact's official V3 description that Splitsend
 * uses (the operations below, everything they reference, descriptions and examples stripped), with a
 * note of its origin and of the few documented spec bugs it patches. `npm run gen:cc-types` runs this
 * and then generates `cc-v3-types.ts` from the result with openapi-typescript. The source is the
 * verbatim official file beside this one, `cc-v3-openapi.yaml` (its origin and terms: README.md here).
 *
 *   npx tsx electron/services/constant-contact/openapi/trim.ts [path/to/cc-v3-openapi.yaml]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

const here = dirname(fileURLToPath(import.meta.url))
export const OFFICIAL_SOURCE = join(here, 'cc-v3-openapi.yaml')
const OUTPUT = join(here, 'cc-v3-trimmed.yaml')

/** Every operation Splitsend calls, as [path, method]. */
export const OPERATIONS: ReadonlyArray<readonly [string, string]> = [
  ['/account/summary', 'get'],
  ['/account/emails', 'get'],
  ['/contact_lists', 'get'],
  ['/contact_lists', 'post'],
  ['/contact_lists/{list_id}', 'get'],
  ['/contact_custom_fields', 'get'],
  ['/contact_custom_fields', 'post'],
  ['/contacts', 'get'],
  ['/activities', 'get'],
  ['/activities/{activity_id}', 'get'],
  ['/activities/contacts_json_import', 'post'],
  ['/activities/contacts_file_import', 'post'],
  ['/activities/add_list_memberships', 'post'],
  ['/activities/remove_list_memberships', 'post'],
  ['/activities/contact_exports', 'post'],
  ['/contact_exports/{file_export_id}', 'get'],
  ['/emails', 'get'],
  ['/emails', 'post'],
  ['/emails/{campaign_id}', 'get'],
  ['/emails/activities/{campaign_activity_id}', 'get'],
  ['/emails/activities/{campaign_activity_id}', 'put'],
  ['/emails/activities/{campaign_activity_id}/schedules', 'get'],
  ['/emails/activities/{campaign_activity_id}/schedules', 'post'],
  ['/emails/activities/{campaign_activity_id}/schedules', 'delete'],
  ['/emails/activities/{campaign_activity_id}/tests', 'post'],
  ['/emails/activities/{campaign_activity_id}/send_history', 'get'],
]

/** Schemas not reached from any operation but used by Splitsend: the token endpoint and the error bodies. */
const EXTRA_SCHEMAS = ['AccessTokenResponse', 'OAuthError', 'APIErrorSchema', 'AuthorizationErrorSchema']

/** Documentation keys removed wherever they are documentation (not when they name a schema property). */
const DOC_KEYS = new Set(['description', 'example', 'examples', 'externalDocs'])
const DROPPED_EXTENSIONS = /^x-(sdk-|ctctmcp-)/

function strip(node: Json, parentKey?: string): Json {
  if (Array.isArray(node)) return node.map((item) => strip(item))
  if (node === null || typeof node !== 'object') return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    const isPropertyName = parentKey === 'properties'
    if (!isPropertyName && (DOC_KEYS.has(key) || DROPPED_EXTENSIONS.test(key))) continue
    out[key] = strip(value, key)
  }
  return out
}

function collectRefs(node: Json, found: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((item) => collectRefs(item, found))
  if (node === null || typeof node !== 'object') return
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') found.add(value)
    else collectRefs(value, found)
  }
}

/**
 * Spec bugs (the team's reference notes, constant-contact-v3.md §3.4 and §8). Each patch says what it
 * changes so the trimmed copy stays honest about where it departs from the source.
 */
function applyPatches(doc: JsonObject, patches: string[]): void {
  // `maxItems: 0` on arrays whose text says 50 or 500 entries: drop the impossible bound.
  const dropZeroMaxItems = (node: Json, where: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => dropZeroMaxItems(item, `${where}[${i}]`))
    if (node === null || typeof node !== 'object') return
    if (node.maxItems === 0) {
      delete node.maxItems
      patches.push(`removed maxItems: 0 at ${where}`)
    }
    for (const [key, value] of Object.entries(node)) dropZeroMaxItems(value, `${where}/${key}`)
  }
  dropZeroMaxItems(doc.components as Json, '#/components')

  // `scheduled_date` is documented as date-time, yet "0" (send now) is its documented value too.
  const schemas = (doc.components as JsonObject).schemas as JsonObject
  for (const [name, schema] of Object.entries(schemas)) {
    const props = (schema as JsonObject).properties as JsonObject | undefined
    const scheduled = props?.scheduled_date as JsonObject | undefined
    if (scheduled && scheduled.format === 'date-time' && /request/i.test(name)) {
      delete scheduled.format
      patches.push(`${name}.scheduled_date: dropped format date-time so the documented "0" (send now) is valid`)
    }
  }

  // The implicit flow's authorizationUrl points at /token in this build; build 3.0.178 has /authorize.
  const implicit = (((doc.components as JsonObject).securitySchemes as JsonObject)?.oauth2_implicit as JsonObject)
    ?.flows as JsonObject | undefined
  const implicitFlow = implicit?.implicit as JsonObject | undefined
  if (
    implicitFlow &&
    typeof implicitFlow.authorizationUrl === 'string' &&
    implicitFlow.authorizationUrl.endsWith('/token')
  ) {
    implicitFlow.authorizationUrl = implicitFlow.authorizationUrl.replace(/\/token$/, '/authorize')
    patches.push('oauth2_implicit authorizationUrl: /token → /authorize (as in build 3.0.178)')
  }
}

export function trim(sourceText: string): { doc: JsonObject; patches: string[] } {
  const source = parse(sourceText) as JsonObject
  const sourcePaths = source.paths as JsonObject
  const paths: JsonObject = {}
  for (const [path, method] of OPERATIONS) {
    const item = sourcePaths[path] as JsonObject | undefined
    const operation = item?.[method]
    if (!operation) throw new Error(`The source description has no ${method.toUpperCase()} ${path}`)
    const target = (paths[path] ??= {}) as JsonObject
    if (item.parameters) target.parameters = strip(item.parameters)
    const stripped = strip(operation) as JsonObject
    // A response object must keep a description to stay valid OpenAPI; it is emptied, not removed.
    for (const response of Object.values((stripped.responses ?? {}) as JsonObject))
      (response as JsonObject).description = ''
    target[method] = stripped
  }

  const sourceSchemas = (source.components as JsonObject).schemas as JsonObject
  const sourceResponses = ((source.components as JsonObject).responses ?? {}) as JsonObject
  const schemas: JsonObject = {}
  const responses: JsonObject = {}
  const pending = new Set<string>()
  collectRefs(paths, pending)
  for (const name of EXTRA_SCHEMAS) pending.add(`#/components/schemas/${name}`)
  const seen = new Set<string>()
  while (pending.size) {
    const [ref] = pending as Set<string> & Iterable<string>
    pending.delete(ref!)
    if (seen.has(ref!)) continue
    seen.add(ref!)
    const match = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref!)
    if (!match) throw new Error(`Unsupported reference ${ref}`)
    const [, kind, name] = match as unknown as [string, string, string]
    const from = kind === 'schemas' ? sourceSchemas : sourceResponses
    if (!(name in from)) throw new Error(`Reference ${ref} not found in the source`)
    const copy = strip(from[name]!) as JsonObject
    if (kind === 'responses') copy.description = ''
    ;(kind === 'schemas' ? schemas : responses)[name] = copy
    collectRefs(copy, pending)
  }

  const securitySchemes = strip((source.components as JsonObject).securitySchemes as Json)
  const info = source.info as JsonObject
  const doc: JsonObject = {
    openapi: source.openapi as Json,
    info: { title: `${info.title} (trimmed for Splitsend)`, version: info.version as Json },
    servers: source.servers as Json,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      ...(Object.keys(responses).length ? { responses } : {}),
      securitySchemes,
    },
  }
  const patches: string[] = []
  applyPatches(doc, patches)
  return { doc, patches }
}

function main(): void {
  const sourcePath = resolve(process.argv[2] ?? OFFICIAL_SOURCE)
  const sourceText = readFileSync(sourcePath, 'utf8')
  const sha256 = createHash('sha256').update(sourceText).digest('hex')
  const { doc, patches } = trim(sourceText)
  const info = (parse(sourceText) as JsonObject).info as JsonObject
  const header = [
    'GENERATED by electron/services/constant-contact/openapi/trim.ts (npm run gen:cc-types). Do not edit by hand.',
    '',
    "Origin: Constant Contact's official V3 API description (OpenAPI 3.0), as shipped in Constant Contact's",
    'generated C# SDK: github.com/constantcontact/constant-contact-v3api-client-csharp, api/openapi.yaml',
    `(tag 1.9.0), "${String(info.description)}", info.version ${String(info.version)}; source file sha256 ${sha256}.`,
    'The verbatim file is cc-v3-openapi.yaml beside this one (origin and terms: README.md); this file keeps only the operations Splitsend',
    'calls and the schemas they reference, with descriptions, examples and SDK-only extensions removed.',
    '',
    'Patches for spec bugs (the reference notes, constant-contact-v3.md §3.4, §8):',
    ...patches.map((p) => `  - ${p}`),
  ]
    .map((line) => (line ? `# ${line}` : '#'))
    .join('\n')
  writeFileSync(OUTPUT, `${header}\n${stringify(doc, { lineWidth: 0 })}`)
  process.stdout.write(
    `Wrote ${OUTPUT} (${OPERATIONS.length} operations, ${Object.keys((doc.components as JsonObject).schemas as JsonObject).length} schemas, ${patches.length} patches)\n`,
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
