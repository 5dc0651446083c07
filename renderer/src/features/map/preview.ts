/**
 * Where each of the first rows would go with the current choices, using the same rules as the full
 * pass (shared/prepare), so the Map step's preview can never disagree with the result. Duplicates
 * and conflicts are decided among the preview rows only; the full pass decides them over the file.
 */
import { RowClassifier } from '../../../../shared/prepare/classify'
import type { GroupKey, ProblemReason } from '../prepare/types'
import { blankFlagOf, columnMapping, flagAssignments, type MappingDraft } from '../prepare/mapping'
import type { Inspection } from '../prepare/types'

export type PreviewDestination = { kind: 'group'; group: GroupKey } | { kind: 'problem'; reason: ProblemReason }

export interface PreviewRow {
  row: number
  cells: string[]
  destination: PreviewDestination
}

export function classifyPreview(inspection: Inspection, draft: MappingDraft): PreviewRow[] {
  if (draft.emailColumn < 0 || draft.flagColumn < 0) return []
  const classifier = new RowClassifier({
    mapping: columnMapping(draft),
    onConflict: draft.onConflict,
    ...flagAssignments(draft),
    blankFlag: blankFlagOf(draft),
  })
  const verdicts = inspection.previewRows.map(({ row, cells }) => ({
    row,
    cells,
    verdict: classifier.classify(cells, row),
  }))
  return verdicts.map(({ row, cells, verdict }): PreviewRow => {
    if (verdict.kind !== 'candidate') return { row, cells, destination: { kind: 'problem', reason: verdict.kind } }
    const outcome = classifier.addresses.resolve(verdict.addressId, verdict.group, verdict.firstInGroup)
    return {
      row,
      cells,
      destination: outcome === 'group' ? { kind: 'group', group: verdict.group } : { kind: 'problem', reason: outcome },
    }
  })
}
