/**
 * The Prepare steps' types, all derived from the contract (shared/contract.ts), so a change to its
 * schemas reaches the screens without a second declaration here.
 */
import type { EventPayload, RequestInput, RequestOutput } from '../../../../shared/contract'

export type AttachedFile = RequestOutput<'files.attachPath'>
export type Inspection = RequestOutput<'prepare.inspect'>
export type PrepareResult = RequestOutput<'prepare.run'>
export type Summary = PrepareResult['summary']
export type PrepareProgress = EventPayload<'prepare.progress'>['progress']

export type PrepareOptions = RequestInput<'prepare.run'>['options']
export type ReadOptions = NonNullable<RequestInput<'prepare.inspect'>['read']>
export type FlagAssignments = NonNullable<RequestInput<'prepare.inspect'>['flags']>
export type ColumnMapping = PrepareOptions['mapping']
export type ColumnTarget = ColumnMapping['fields'][number]['target']
export type ContactFieldName = Extract<ColumnTarget, { kind: 'field' }>['field']
export type ConflictPolicy = NonNullable<PrepareOptions['onConflict']>
export type BlankFlagChoice = NonNullable<PrepareOptions['blankFlag']>

export type ColumnInfo = Inspection['columns'][number]
export type FlagValueCount = Inspection['flagValues'][number]
export type SheetInfo = NonNullable<Inspection['sheets']>[number]
export type MappingSuggestion = Inspection['suggestion']
export type SourceFormat = Inspection['format']
export type TextEncoding = NonNullable<Inspection['encoding']>
export type Delimiter = NonNullable<Inspection['delimiter']>

export type { GroupKey } from '../../../../shared/ids'
export type GroupNames = Summary['groupNames']
export type ProblemReason = keyof Summary['problems']

export type ResultsPage = RequestOutput<'prepare.page'>
export type ResultsRow = ResultsPage['rows'][number]
export type ResultKind = RequestInput<'prepare.page'>['query']['kind']

export type PreparedCopyKind = RequestInput<'prepare.download'>['file']
