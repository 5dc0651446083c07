/**
 * The last run's choices, per set of columns (see shared/prepare/last-choices.ts): written when an
 * upload starts (what was prepared and where each group goes) and again when it ends (the lists'
 * IDs, now that new ones exist); read when a file with the same columns is opened. One small file
 * in Splitsend's data folder, `last-choices.json`, with the last few sets of columns.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { LastChoicesSchema, sameColumns, type LastChoices, type LastList } from '../../shared/prepare/last-choices'
import type { GroupKey } from '../../shared/ids'
import type { PrepareSummary } from './prepare/job-files'
import { writeJsonAtomically } from './files/atomic-file'

export const LAST_CHOICES_FILE = 'last-choices.json'

/** Sets of columns remembered (a person rarely has more than a few monthly files). */
const KEPT = 20

const FileSchema = z.object({ version: z.literal(1), entries: z.array(LastChoicesSchema) })

export interface LastChoicesStore {
  /** The choices last used for a file with these columns, if any. */
  find(columns: readonly string[]): LastChoices | null
  /** An upload of this prepared job started, to these lists (a list's ID once known). */
  remember(summary: PrepareSummary, lists: Record<GroupKey, LastList>): void
}

export function createLastChoicesStore(file: string): LastChoicesStore {
  const read = (): LastChoices[] => {
    try {
      return FileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).entries
    } catch {
      return [] // none yet, or unreadable: nothing is offered, nothing is lost
    }
  }
  return {
    find(columns) {
      return read().find((entry) => sameColumns(entry.columns, columns)) ?? null
    },
    remember(summary, lists) {
      const columns = summary.columns.map((c) => c.name)
      const entry: LastChoices = {
        columns,
        fileName: summary.source.fileName,
        savedAt: new Date().toISOString(),
        mapping: summary.mapping,
        ...summary.flagAssignments,
        blankFlag: summary.blankFlag ?? 'problem',
        onConflict: summary.onConflict,
        groupNames: summary.groupNames,
        lists,
      }
      const entries = [entry, ...read().filter((e) => !sameColumns(e.columns, columns))].slice(0, KEPT)
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
        writeJsonAtomically(file, { version: 1, entries })
      } catch {
        // Not being able to remember only means next month's file starts from the suggestions.
      }
    },
  }
}
