/**
 * A routine: everything a person decided in one run, saved under a name, so next month's file goes
 * through the same split, upload and send (issue 12). This module is the routine file's one
 * declaration: the zod schema (types come from it with `z.infer`), the upgrade of older versions,
 * and reading / writing the JSON text with errors that name the file and the field.
 *
 *   RoutineSchema, Routine                         the current version (ROUTINE_VERSION)
 *   parseRoutineText(text, file) → Routine         JSON text of any known version → current; throws RoutineFileError
 *   upgradeRoutine(data, file)   → Routine         the same for already-parsed JSON
 *   routineToText(routine)       → string          pretty-printed JSON (validated), ending in a newline
 *   DEFAULT_SAFETY_LIMITS                          what a new routine starts with
 *   sameRoutineName(a, b)                          whether two names name the same routine
 *
 * Columns are named by their header (the file's column order may change from month to month);
 * Prepare takes positions, which electron/services/routines/drift.ts works out for each new file.
 * Every object is strict: a misspelt field in a hand-edited file is an error naming it, never
 * quietly ignored and replaced by a default.
 *
 * Pure TypeScript and zod (see shared/tsconfig.json).
 */
import { z } from 'zod'
import { MembershipPolicySchema } from '../membership/schemas'
import { UserFacingError } from '../errors'
import {
  ColumnMappingSchema,
  FlagAssignmentsSchema,
  PrepareOptionsSchema,
  ReadOptionsSchema,
  SourceInspectionSchema,
} from '../prepare/schemas'
import { checkEmail } from '../prepare/email'
import { CampaignChoiceSchema } from '../send/schemas'
import { CampaignIdSchema } from '../ids'
import { AccountListSchema } from '../upload/schemas'

const ROUTINE_VERSION = 2

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/

/** What a person calls a routine: any letters, but one line and not blank. */
export const RoutineNameSchema = z
  .string()
  .trim()
  .min(1, 'a name, not blank')
  .max(100, 'at most 100 characters long')
  .refine((name) => !CONTROL_CHARACTERS.test(name), 'a name on one line, without control characters')

/**
 * Whether two names mean the same routine: the same letters, ignoring case, surrounding spaces and
 * how the letters are encoded (é typed as one or two characters), so "Monthly mailing" and
 * "monthly  mailing" can't be two routines a person can't tell apart.
 */
export function sameRoutineName(a: string, b: string): boolean {
  return routineNameKey(a) === routineNameKey(b)
}

/** The form of a name that {@link sameRoutineName} compares. */
export function routineNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
}

const isoDateTime = z.iso.datetime({ offset: true, error: 'a date and time like 2025-05-03T08:00:00Z' })
/** A time of day on the computer's clock, 24-hour: "09:00", "17:30". */
const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day written HH:MM, e.g. 09:30')
const percent = z.number().min(0).max(100)

// ---- reading the file and mapping its columns --------------------------------------------------

/** How the file is read. Encoding and delimiter left out are detected each time (as in Prepare). */
const ReadingSchema = z
  .strictObject({
    format: SourceInspectionSchema.shape.format,
    /** XLSX: the sheet's name. */
    sheet: ReadOptionsSchema.shape.sheet,
    /** Excel row number of the header row (0: the file has none, columns are "Column 1", …). */
    headerRow: ReadOptionsSchema.shape.headerRow.unwrap(),
    encoding: ReadOptionsSchema.shape.encoding,
    delimiter: ReadOptionsSchema.shape.delimiter,
  })
  .superRefine((reading, context) => {
    const fields = reading.format === 'csv' ? (['sheet'] as const) : (['encoding', 'delimiter'] as const)
    for (const field of fields) {
      if (reading[field] !== undefined)
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `set only for a ${reading.format === 'csv' ? 'workbook' : 'CSV file'}`,
        })
    }
  })

/**
 * A column by its header text, as Splitsend names columns (electron/services/prepare/header-row.ts): the
 * trimmed header, "Name (2)" for a repeated one, "Column N" for a blank one or a file without a
 * header row. Compared without regard to case, as those names are unique that way.
 */
const ColumnRefSchema = z.string().min(1).max(1_000)

const ColumnTargetSchema = ColumnMappingSchema.shape.fields.element.shape.target

const MappingSchema = z.strictObject({
  emailColumn: ColumnRefSchema,
  flagColumn: ColumnRefSchema,
  /** The other columns: a Constant Contact field, a custom field by name, or `ignore` (left out on purpose). */
  fields: z
    .array(
      z.strictObject({
        column: ColumnRefSchema,
        target: ColumnTargetSchema.refine(
          (target) => target.kind !== 'email' && target.kind !== 'flag',
          'another kind: the email and flag columns are named in emailColumn and flagColumn',
        ),
      }),
    )
    .max(1_000),
})

/**
 * Which flag values go where. Values besides the standard ones (0/1, yes/no, true/false …) must be
 * listed; `blank` says where rows with an empty flag cell go ("problem": reported, as Prepare does by
 * default).
 */
const FlagsSchema = FlagAssignmentsSchema.required()
  .extend({ blank: z.enum(['problem', 'leave_out', '0', '1']) })
  .strict()

// ---- lists, campaigns, account ------------------------------------------------------------------

const RoutineListSchema = z.strictObject({
  listId: AccountListSchema.shape.listId.min(1),
  /** The list's name when the routine was saved, shown to the person (the ID is what counts). */
  name: AccountListSchema.shape.name,
  /** When the list is gone from the account, create one with this name instead of stopping. */
  createIfMissing: z.boolean(),
})

/**
 * What happens to contacts already on the lists (issue 13): `add` only adds; `move` also takes
 * customers whose flag changed off the other list; `match` makes each list equal its group. The
 * membership step's own schema, so a routine's choice is exactly what the Upload step takes.
 */
const ListPolicySchema = MembershipPolicySchema

const testAddress = z
  .string()
  .max(320)
  .refine((address) => checkEmail(address).kind === 'valid', 'an email address')
/** Addresses a test is sent to before the real send (Constant Contact allows 5 a test). */
export const TestAddressesSchema = z.array(testAddress).max(5)

const GroupSendingSchema = z.discriminatedUnion('send', [
  z.strictObject({ send: z.literal(false) }),
  z.strictObject({
    send: z.literal(true),
    /** The campaign chosen when the routine was saved; a run may send a dated copy of it (issue 14). */
    campaign: z.strictObject({ id: CampaignIdSchema, name: CampaignChoiceSchema.shape.name }),
    /** "now", or a time of day on the day of the run (the computer's clock). */
    sendAt: z.union([z.literal('now'), TimeOfDaySchema]),
    testAddresses: TestAddressesSchema,
  }),
])

const httpUrl = z.url({ protocol: /^https?$/, error: 'a web address starting with https:// (or http://)' })

/** The account the routine was made with: a run uses it and refuses when it isn't connected. */
const AccountRefSchema = z.discriminatedUnion('endpoint', [
  z.strictObject({ endpoint: z.literal('practice') }),
  z.strictObject({
    endpoint: z.literal('real'),
    /** Shown to the person, and compared with the connected account's before a run. */
    accountName: z.string().max(500).optional(),
    email: z.string().max(320).optional(),
  }),
  z.strictObject({ endpoint: z.literal('custom'), apiBase: httpUrl, authBase: httpUrl }),
])

// ---- where next month's file comes from, safety, schedule ------------------------------------------

/** A folder and a file-name pattern (`*` any characters, `?` one); the newest matching file not yet run is used. */
const SourceFolderSchema = z.strictObject({
  folder: z.string().min(1).max(4_096),
  pattern: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((pattern) => !/[/\\]/.test(pattern), 'a file name pattern without a folder, e.g. usage-*.xlsx'),
})

/** The minimum number of rows: a share of the last successful run's, or a fixed number. */
const MinimumRowsSchema = z.union(
  [z.strictObject({ percentOfLastRun: percent }), z.strictObject({ rows: z.number().int().nonnegative() })],
  { error: 'either { "percentOfLastRun": 50 } or { "rows": 1000 }' },
)

/** When an unattended run stops instead of mailing people (see electron/services/routines/safety.ts). */
export const SafetyLimitsSchema = z.strictObject({
  /** Stop when more than this share of the rows are problems. */
  maxProblemPercent: percent,
  /** Stop when a group's size changed by more than this since the last successful run. */
  maxGroupChangePercent: z.number().min(0).max(100_000),
  minimumRows: MinimumRowsSchema,
})
export type SafetyLimits = z.infer<typeof SafetyLimitsSchema>

export const DEFAULT_SAFETY_LIMITS: SafetyLimits = {
  maxProblemPercent: 5,
  maxGroupChangePercent: 50,
  minimumRows: { percentOfLastRun: 50 },
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const

/**
 * When the operating system runs the routine, on the computer's clock. A monthly day is 1–28:
 * every month has those, so a monthly routine never skips a month.
 */
export const ScheduleSchema = z.discriminatedUnion('every', [
  z.strictObject({
    every: z.literal('month'),
    day: z.number().int().min(1).max(28, 'a day from 1 to 28 (not every month has a 29th, 30th or 31st)'),
    at: TimeOfDaySchema,
  }),
  z.strictObject({ every: z.literal('week'), weekday: z.enum(WEEKDAYS), at: TimeOfDaySchema }),
  z.strictObject({ every: z.literal('day'), at: TimeOfDaySchema }),
])
export type Schedule = z.infer<typeof ScheduleSchema>

// ---- the versions ---------------------------------------------------------------------------------

const bothGroups = <T extends z.ZodType>(schema: T) => z.strictObject({ '0': schema, '1': schema })

const routineFields = {
  name: RoutineNameSchema,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  account: AccountRefSchema,
  reading: ReadingSchema,
  mapping: MappingSchema,
  flags: FlagsSchema,
  onConflict: PrepareOptionsSchema.shape.onConflict.unwrap(),
  groupNames: PrepareOptionsSchema.shape.groupNames.unwrap(),
  sending: bothGroups(GroupSendingSchema),
  source: SourceFolderSchema.optional(),
  safety: SafetyLimitsSchema,
  schedule: ScheduleSchema.optional(),
}

/** Version 1: before lists that match the file (issue 13) — no list policy. */
const RoutineV1Schema = z.strictObject({
  ...routineFields,
  version: z.literal(1),
  lists: bothGroups(RoutineListSchema),
})

export const RoutineSchema = z.strictObject({
  ...routineFields,
  version: z.literal(ROUTINE_VERSION),
  lists: bothGroups(RoutineListSchema).extend({ policy: ListPolicySchema }).strict(),
})
export type Routine = z.infer<typeof RoutineSchema>
export type RoutineMapping = Routine['mapping']
export type ColumnRef = z.infer<typeof ColumnRefSchema>

/** Each older version's schema and its step to the next version. */
const UPGRADES: Record<number, { schema: z.ZodType; next: (data: never) => unknown }> = {
  1: {
    schema: RoutineV1Schema,
    // Version 1 routines only ever added to lists: keep doing exactly that.
    next: (v1: z.infer<typeof RoutineV1Schema>) => ({ ...v1, version: 2, lists: { ...v1.lists, policy: 'add' } }),
  },
}

/** A routine file that can't be used: `message` names the file and, when it is one field, the field. */
export class RoutineFileError extends UserFacingError {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    problem: string,
  ) {
    super(
      'routine_file_invalid',
      field === undefined
        ? `The routine file “${file}” can't be used: ${problem}.`
        : `The routine file “${file}” can't be used: the field “${field}” ${problem}.`,
      'Fix the file in a text editor (or save the routine again from Splitsend), or delete it.',
    )
    this.name = 'RoutineFileError'
  }
}

/** Reads a routine file's text (any known version) as the current version. */
export function parseRoutineText(text: string, file: string): Routine {
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\ufeff/, ''))
  } catch (error) {
    throw new RoutineFileError(file, undefined, `it is not valid JSON (${jsonErrorPlace(text, error)})`)
  }
  return upgradeRoutine(data, file)
}

/** Checks parsed JSON against its version's schema and upgrades it, one version at a time. */
function upgradeRoutine(data: unknown, file: string): Routine {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new RoutineFileError(file, undefined, 'it does not hold a routine (a JSON object)')
  const version = (data as { version?: unknown }).version
  if (version === undefined) throw new RoutineFileError(file, 'version', 'is missing')
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new RoutineFileError(file, 'version', `should be a whole number, not ${JSON.stringify(version)}`)
  if (version > ROUTINE_VERSION)
    throw new RoutineFileError(
      file,
      'version',
      `is ${version}: the routine was saved by a newer Splitsend (this one reads up to version ${ROUTINE_VERSION}). Update Splitsend`,
    )
  let current: unknown = data
  for (let step = version; step < ROUTINE_VERSION; step++) {
    const upgrade = UPGRADES[step]
    if (!upgrade) throw new RoutineFileError(file, 'version', `is ${version}, which Splitsend never wrote`)
    current = upgrade.next(validate(upgrade.schema, current, file) as never)
  }
  return validate(RoutineSchema, current, file)
}

/** The routine as the readable JSON text of its file. */
export function routineToText(routine: Routine): string {
  return `${JSON.stringify(RoutineSchema.parse(routine), null, 2)}\n`
}

function validate<T extends z.ZodType>(schema: T, data: unknown, file: string): z.infer<T> {
  const result = schema.safeParse(data, { reportInput: true })
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const path = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]!)
  throw new RoutineFileError(file, path.length ? path.join(' › ') : undefined, describeIssue(issue))
}

/** Zod's issue in words a person editing the file can act on. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  // The schema's own words ("a time of day written HH:MM …") say it best; zod's defaults are reworded.
  if (!/^(Invalid|Too big|Too small|Unrecognized)/.test(issue.message)) return `should be ${issue.message}`
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is missing'
        : `should be ${typeWords(issue.expected)}, not ${valueWords(issue.input)}`
    case 'unrecognized_keys':
      return `is not a field Splitsend knows${issue.keys.length > 1 ? ` (nor are ${issue.keys.slice(1).join(', ')})` : ''}: check its spelling`
    case 'invalid_value':
      return `should be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, not ${valueWords(issue.input)}`
    case 'invalid_union': {
      // A discriminated union names its discriminator and the values it may take; the input is the whole object.
      const { options, discriminator } = issue as { options?: unknown[]; discriminator?: string }
      if (!options || !discriminator) return `is not in any of the accepted forms (found ${valueWords(issue.input)})`
      const found = (issue.input as Record<string, unknown> | undefined)?.[discriminator]
      return `should be ${options.map((v) => JSON.stringify(v)).join(' or ')}, not ${valueWords(found)}`
    }
    case 'too_big':
    case 'too_small': {
      const bound = issue.code === 'too_big' ? `at most ${String(issue.maximum)}` : `at least ${String(issue.minimum)}`
      const unit = issue.origin === 'string' ? ' characters long' : issue.origin === 'array' ? ' items' : ''
      return `should be ${bound}${unit}, not ${valueWords(issue.input)}`
    }
    default:
      return `is not valid (${issue.message})`
  }
}

function typeWords(expected: string): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'an object ({…})',
    array: 'a list ([…])',
  }
  return words[expected] ?? expected
}

function valueWords(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

/** "line 4, column 12" from JSON.parse's message, when it gives a position. */
function jsonErrorPlace(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(String((error as Error)?.message))
  if (!match) return 'it ends too early or holds something that is not JSON'
  const before = text.replace(/^\ufeff/, '').slice(0, Number(match[1]))
  const lines = before.split('\n')
  return `near line ${lines.length}, column ${lines.at(-1)!.length + 1}`
}
