import type { AddressBook } from '../../../shared/prepare/classify'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import type { PlacedRecords } from './row-sorter'

/** A group record to take out of its group file: it becomes a problem (a conflicting flag). */
export interface ConflictRow {
  row: number
  /** Where it sits in the source (see OpenedSource.fetchRows). */
  start: number
  end: number
  addressId: number
  key: GroupKey
  /** Left out with all its address's rows, or outvoted by the row the person's rule lets win. */
  reason: 'conflicting_flag' | 'overruled_flag'
}

/**
 * Stage 2 of the full pass, once every address is known: the group records whose address turned
 * out to be in both groups, and lost under the conflict policy. `rows` in row order; `drop` the
 * record numbers to take out of each group file, in increasing order.
 */
export function conflictRows(
  placed: Record<GroupKey, PlacedRecords>,
  book: AddressBook,
): { rows: ConflictRow[]; drop: Record<GroupKey, number[]> } {
  const rows: ConflictRow[] = []
  const drop: Record<GroupKey, number[]> = { '0': [], '1': [] }
  for (const key of GROUP_KEYS) {
    const where = placed[key]
    for (let record = 0; record < where.addressIds.length; record++) {
      const addressId = where.addressIds.get(record)
      const outcome = book.resolve(addressId, key, true)
      if (outcome === 'group') continue
      drop[key].push(record)
      rows.push({
        row: where.rows.get(record),
        start: where.starts.get(record),
        end: where.ends.get(record),
        addressId,
        key,
        // A group's first row of an address is never a duplicate: it loses only to the other group.
        reason: outcome === 'overruled_flag' ? 'overruled_flag' : 'conflicting_flag',
      })
    }
  }
  rows.sort((a, b) => a.row - b.row)
  return { rows, drop }
}
