/**
 * The person's choices on the Map step, kept as a draft and turned into the engine's options.
 * Pure functions, so the Map and Review screens and the preview all agree on what a choice means.
 */
import { FlagAssignmentConflict, FlagRules, flagKey, isStandardFlagValue } from '../../../../shared/prepare/flags'
import { MAX_GROUP_NAME_LENGTH, suggestedGroupNames } from '../../../../shared/prepare/group-names'
import type { LastChoices } from '../../../../shared/prepare/last-choices'
import { mappingErrors } from '../../../../shared/prepare/output-columns'
import type {
  BlankFlagChoice,
  ColumnMapping,
  ColumnTarget,
  ConflictPolicy,
  FlagAssignments,
  GroupKey,
  GroupNames,
  Inspection,
  PrepareOptions,
  ReadOptions,
} from './types'

/** Where the person sends the rows with one flag value (or with an empty flag cell, kept under the key ''). */
type FlagChoice = GroupKey | 'leave_out'
/** Where a flag value's rows go now: a choice, or nowhere yet (then they are listed as problems). */
export type FlagPlacement = FlagChoice | 'unassigned'

export interface MappingDraft {
  emailColumn: number
  flagColumn: number
  /** Whether the column is Splitsend's suggestion or the last run's (so the screen can say why), or the person's choice now. */
  emailChosenBy: 'suggestion' | 'last_run' | 'person'
  flagChosenBy: 'suggestion' | 'last_run' | 'person'
  /** What every other column is sent as; a column not listed is not sent. */
  targets: Record<number, ColumnTarget>
  /** Flag values the person placed, by their comparison key (trimmed, lower-case). */
  flagChoices: Record<string, FlagChoice>
  groupNames: GroupNames
  /**
   * Whether each group's name is Splitsend's suggestion (it follows the flag column, and the Upload
   * step asks before making a list of it) or the person's own.
   */
  namesChosenBy: Record<GroupKey, 'suggestion' | 'person'>
  onConflict: ConflictPolicy
  /** The last run of a file with the same columns, when its choices are the ones filled in (see draftFromLastRun). */
  lastRun: LastChoices | null
}

export { MAX_GROUP_NAME_LENGTH }

/**
 * A fresh draft from what Splitsend suggests for this file. The group names, flag value choices and
 * conflict rule are the person's and survive re-reading the file (e.g. with another encoding).
 */
export function draftFromSuggestion(inspection: Inspection, previous?: MappingDraft): MappingDraft {
  const { mapping } = inspection.suggestion
  const targets: Record<number, ColumnTarget> = {}
  for (const { column, target } of mapping.fields) if (target.kind !== 'ignore') targets[column] = target
  const draft: MappingDraft = {
    emailColumn: mapping.emailColumn,
    flagColumn: mapping.flagColumn,
    emailChosenBy: 'suggestion',
    flagChosenBy: 'suggestion',
    targets,
    flagChoices: previous?.flagChoices ?? {},
    groupNames: previous?.groupNames ?? { '0': '', '1': '' },
    namesChosenBy: previous?.namesChosenBy ?? { '0': 'suggestion', '1': 'suggestion' },
    onConflict: previous?.onConflict ?? 'exclude',
    lastRun: null,
  }
  return withSuggestedNames(draft, inspection.columns)
}

/**
 * The choices of the last run of a file with the same columns, filled in again: the columns, what
 * else is sent, where each flag value goes (empty cells too), the conflict rule and the group names
 * (the person's own, so no list is made from a suggestion). The Upload step offers its lists.
 */
export function draftFromLastRun(last: LastChoices): MappingDraft {
  return { ...draftFromOptions(last), emailChosenBy: 'last_run', flagChosenBy: 'last_run', lastRun: last }
}

/**
 * The draft that gives exactly these options (a routine's choices for a file it was checked
 * against, or the last run's): every choice is the person's.
 */
export function draftFromOptions(options: PrepareOptions): MappingDraft {
  const targets: Record<number, ColumnTarget> = {}
  for (const { column, target } of options.mapping.fields) if (target.kind !== 'ignore') targets[column] = target
  const flagChoices: Record<string, FlagChoice> = {}
  for (const value of options.group0Values ?? []) flagChoices[flagKey(value)] = '0'
  for (const value of options.group1Values ?? []) flagChoices[flagKey(value)] = '1'
  for (const value of options.leaveOutValues ?? []) flagChoices[flagKey(value)] = 'leave_out'
  if (options.blankFlag && options.blankFlag !== 'problem') flagChoices[BLANK_FLAG] = options.blankFlag
  return {
    emailColumn: options.mapping.emailColumn,
    flagColumn: options.mapping.flagColumn,
    emailChosenBy: 'person',
    flagChosenBy: 'person',
    targets,
    flagChoices,
    groupNames: { '0': options.groupNames?.['0'] ?? '', '1': options.groupNames?.['1'] ?? '' },
    namesChosenBy: { '0': 'person', '1': 'person' },
    onConflict: options.onConflict ?? 'exclude',
    lastRun: null,
  }
}

/** The group names still Splitsend's, suggested afresh from the flag column ("Uses the app: no"). */
function withSuggestedNames(draft: MappingDraft, columns: Inspection['columns']): MappingDraft {
  const suggested = suggestedGroupNames(columns[draft.flagColumn])
  const name = (group: GroupKey) =>
    draft.namesChosenBy[group] === 'person' ? draft.groupNames[group] : suggested[group]
  return { ...draft, groupNames: { '0': name('0'), '1': name('1') } }
}

/** The person names a group: from now on the name is theirs, not a suggestion. */
export function nameGroup(draft: MappingDraft, group: GroupKey, name: string): MappingDraft {
  return {
    ...draft,
    groupNames: { ...draft.groupNames, [group]: name },
    namesChosenBy: { ...draft.namesChosenBy, [group]: 'person' },
  }
}

/**
 * Picks a new email or flag column; a column cannot be both, nor also be sent as a field. Group
 * names that are still suggestions follow the new flag column.
 */
export function chooseKeyColumn(
  draft: MappingDraft,
  role: 'email' | 'flag',
  column: number,
  columns: Inspection['columns'],
): MappingDraft {
  const targets = { ...draft.targets }
  delete targets[column]
  if (role === 'email') {
    return withSuggestedNames(
      {
        ...draft,
        targets,
        emailColumn: column,
        emailChosenBy: 'person',
        flagColumn: draft.flagColumn === column ? -1 : draft.flagColumn,
      },
      columns,
    )
  }
  return withSuggestedNames(
    {
      ...draft,
      targets,
      flagColumn: column,
      flagChosenBy: 'person',
      emailColumn: draft.emailColumn === column ? -1 : draft.emailColumn,
    },
    columns,
  )
}

export function chooseTarget(draft: MappingDraft, column: number, target: ColumnTarget): MappingDraft {
  const targets = { ...draft.targets }
  if (target.kind === 'ignore') delete targets[column]
  else targets[column] = target
  return { ...draft, targets }
}

/** The key of empty flag cells among the person's flag choices: placed like any value. */
export const BLANK_FLAG = ''

/** Places a flag value; choosing where a standard value goes anyway (or "not decided") removes the choice. */
export function chooseFlagPlacement(draft: MappingDraft, value: string, placement: FlagPlacement): MappingDraft {
  const key = flagKey(value)
  const flagChoices = { ...draft.flagChoices }
  if (placement === 'unassigned' || standardPlacement(value) === placement) delete flagChoices[key]
  else flagChoices[key] = placement
  return { ...draft, flagChoices }
}

/** Where a value goes without anyone saying so: the standard 0/1 tokens, else nowhere. */
export function standardPlacement(value: string): FlagPlacement {
  if (!isStandardFlagValue(value)) return 'unassigned'
  const decision = new FlagRules().decide(value)
  return decision === '0' || decision === '1' ? decision : 'unassigned'
}

export function flagAssignments(draft: MappingDraft): Required<FlagAssignments> {
  const lists: Required<FlagAssignments> = { group0Values: [], group1Values: [], leaveOutValues: [] }
  for (const [key, choice] of Object.entries(draft.flagChoices)) {
    if (key === BLANK_FLAG) continue
    ;(choice === '0' ? lists.group0Values : choice === '1' ? lists.group1Values : lists.leaveOutValues).push(key)
  }
  return lists
}

/** Where rows with an empty flag cell go: the person's choice, else listed as problems. */
export function blankFlagOf(draft: MappingDraft): BlankFlagChoice {
  return draft.flagChoices[BLANK_FLAG] ?? 'problem'
}

/** The rules deciding each flag cell with the person's choices applied. */
export function flagRulesOf(draft: MappingDraft): FlagRules {
  try {
    return new FlagRules({ ...flagAssignments(draft), blankFlag: blankFlagOf(draft) })
  } catch (error) {
    // Cannot happen: each key holds one choice. Fall back to the standard rules rather than break the screen.
    if (error instanceof FlagAssignmentConflict) return new FlagRules()
    throw error
  }
}

export function placementOf(rules: FlagRules, value: string): FlagPlacement {
  const decision = rules.decide(value)
  if (decision !== 'missing') return decision
  return rules.blank === 'leave_out' && flagKey(value) === BLANK_FLAG ? 'leave_out' : 'unassigned'
}

export function columnMapping(draft: MappingDraft): ColumnMapping {
  return {
    emailColumn: draft.emailColumn,
    flagColumn: draft.flagColumn,
    fields: Object.entries(draft.targets)
      .map(([column, target]) => ({ column: Number(column), target }))
      .filter(({ column }) => column !== draft.emailColumn && column !== draft.flagColumn)
      .sort((a, b) => a.column - b.column),
  }
}

/** How the file was actually read for the preview, so the full pass reads it exactly the same way. */
export function resolvedReadOptions(inspection: Inspection): ReadOptions {
  return {
    ...(inspection.encoding ? { encoding: inspection.encoding } : {}),
    ...(inspection.delimiter ? { delimiter: inspection.delimiter } : {}),
    ...(inspection.sheet !== undefined ? { sheet: inspection.sheet } : {}),
    headerRow: inspection.headerRow,
  }
}

export function groupNameProblem(name: string): string | null {
  if (name.trim() === '') return 'Give the group a name.'
  if (name.trim().length > MAX_GROUP_NAME_LENGTH) return `Use at most ${MAX_GROUP_NAME_LENGTH} characters.`
  return null
}

/** A flag column has a few values (0 and 1, yes and no, a couple more): more than this, and it is likely not the flag. */
export const FLAG_LIKE_VALUES = 12

/**
 * Why the chosen flag column doesn't look like the flag, from its values in the first rows (too
 * many different ones, or email addresses); null when it does. Said next to the column picker.
 */
export function flagColumnDoubt(
  column: string,
  sample: ReadonlyArray<{ value: string; count: number }>,
): string | null {
  const emails = sample.filter((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.value)).reduce((n, v) => n + v.count, 0)
  const cells = sample.reduce((n, v) => n + v.count, 0)
  const choose = 'Choose the column that says whether a customer uses the app.'
  if (cells > 0 && emails * 2 > cells) return `“${column}” holds email addresses, not a flag. ${choose}`
  if (sample.length > FLAG_LIKE_VALUES)
    return `“${column}” doesn’t look like a flag: its first rows hold ${sample.length} different values (a flag has a few, such as 0 and 1). ${choose}`
  return null
}

/** Everything that stops the full pass from starting, in plain words; empty when it can run. */
export function draftProblems(draft: MappingDraft, inspection: Inspection): string[] {
  if (inspection.complete && inspection.previewRows.length === 0) return ['This file has no contacts.']
  const problems = mappingErrors(columnMapping(draft), inspection.columns)
  for (const [index, target] of Object.entries(draft.targets)) {
    if (target.kind === 'custom' && target.name.trim() === '') {
      const name = inspection.columns[Number(index)]?.name ?? `Column ${Number(index) + 1}`
      problems.push(`Give the custom field for “${name}” a name.`)
    }
  }
  if (groupNameProblem(draft.groupNames['0']) || groupNameProblem(draft.groupNames['1']))
    problems.push('Give each group a name.')
  else if (draft.groupNames['0'].trim() === draft.groupNames['1'].trim())
    problems.push('Give the two groups different names.')
  return problems
}

export function prepareOptions(draft: MappingDraft, inspection: Inspection): PrepareOptions {
  const blankFlag = blankFlagOf(draft)
  return {
    ...resolvedReadOptions(inspection),
    ...flagAssignments(draft),
    ...(blankFlag === 'problem' ? {} : { blankFlag }),
    mapping: columnMapping(draft),
    onConflict: draft.onConflict,
    groupNames: { '0': draft.groupNames['0'].trim(), '1': draft.groupNames['1'].trim() },
  }
}

/** A stable text key of a file's options: equal keys mean the same full pass. */
export function runKey(fileId: string, options: PrepareOptions): string {
  const sorted = (values: string[] | undefined) => [...(values ?? [])].sort()
  return JSON.stringify([
    fileId,
    options.encoding ?? null,
    options.delimiter ?? null,
    options.sheet ?? null,
    options.headerRow ?? null,
    options.mapping,
    sorted(options.group0Values),
    sorted(options.group1Values),
    sorted(options.leaveOutValues),
    options.onConflict ?? 'exclude',
    options.groupNames ?? null,
    options.blankFlag ?? 'problem',
  ])
}
