import type { AddressBook, RowVerdict } from '../../../shared/prepare/classify'
import { IMPORT_EMAIL_MAX_LENGTH } from '../../../shared/prepare/field-limits'
import type { ConflictPolicy } from '../../../shared/prepare/schemas'
import type { GroupKey } from '../../../shared/ids'

export interface ExplainContext {
  emailColumnName: string
  flagColumnName: string
  groupNames: Record<GroupKey, string>
}

/** The plain-language explanation of a problem found on the row alone. */
export function explainRowProblem(
  verdict: Exclude<RowVerdict, { kind: 'candidate' }>,
  context: ExplainContext,
): string {
  switch (verdict.kind) {
    case 'missing_email':
      return `The email cell (column "${context.emailColumnName}") is empty.`
    case 'invalid_email':
      return `"${verdict.value}" is not an address Constant Contact accepts: ${verdict.why}.`
    case 'email_too_long':
      return `${verdict.address} is ${verdict.length} characters long, and Constant Contact’s import takes addresses of at most ${IMPORT_EMAIL_MAX_LENGTH} characters, so it would refuse this contact. Add it in Constant Contact by hand (a contact’s address may have up to 80 characters), or use a shorter address.`
    case 'missing_flag':
      return verdict.leftOut
        ? `The flag cell (column "${context.flagColumnName}") is empty; rows like this are set to be left out.`
        : `The flag cell (column "${context.flagColumnName}") is empty, so it is not known which group this address belongs to.`
    case 'unrecognized_flag':
      return verdict.leftOut
        ? `The flag value "${verdict.value}" is set to be left out.`
        : `The flag value "${verdict.value}" is not assigned to "${context.groupNames['0']}" or "${context.groupNames['1']}". Assign it to a group to include these rows.`
  }
}

/** The explanation of a duplicate or a conflict, which needs the whole file to have been read. */
export function explainAddressProblem(
  outcome: 'duplicate' | 'conflicting_flag' | 'overruled_flag',
  address: string,
  group: GroupKey,
  addressId: number,
  book: AddressBook,
  policy: ConflictPolicy,
  context: ExplainContext,
): string {
  const facts = book.describe(addressId)
  const name = (g: GroupKey): string => `"${context.groupNames[g]}"`
  if (outcome === 'duplicate') {
    return `${address} is already in ${name(group)} from row ${facts.firstRow[group]}; that row's details are kept.`
  }
  const other: GroupKey = group === '0' ? '1' : '0'
  if (policy === 'exclude') {
    return `${address} is marked ${name('0')} on row ${facts.firstRow['0']} and ${name('1')} on row ${facts.firstRow['1']}, so all its rows are left out. Correct the flag in the file, or choose "first row wins" or "last row wins".`
  }
  if (policy === 'first') {
    return `${address} is first marked ${name(other)} (row ${facts.firstRow[other]}); with "first row wins", as you chose, this row, marked ${name(group)}, is left out. Nothing needs doing.`
  }
  return `${address} is last marked ${name(other)} (row ${facts.lastRow}); with "last row wins", as you chose, this row, marked ${name(group)}, is left out. Nothing needs doing.`
}

export function explainMalformedRow(detail: string): string {
  return `This row could not be read: ${detail}. Check it in the file; the rest of the file was read normally.`
}
