import { RowClassifier, type ClassifierOptions, type RowVerdict } from '../../../shared/prepare/classify'
import type { GroupKey } from '../../../shared/ids'
import { AddressTable, latin1Text } from './address-table'
import { plainAddress } from './plain-address'

/**
 * The rules of shared/prepare/classify.ts for the full pass: addresses in the byte-level
 * {@link AddressTable}, and the usual row (a plain address and a group's flag) decided without
 * allocating. Every row ends exactly where {@link RowClassifier.classify} would put it.
 */
export class PassClassifier extends RowClassifier {
  constructor(
    options: ClassifierOptions,
    private readonly table = new AddressTable(),
  ) {
    super(options, table)
  }

  /** The address of the last candidate found by {@link classifyRow} (or the plain-address variants). */
  get address(): string {
    if (this.addressBytes !== null) {
      this.addressText = latin1Text(this.addressBytes, this.addressFrom, this.addressLength)
      this.addressBytes = null
    }
    return this.addressText
  }

  /** Its length. */
  addressLength = 0
  private addressText = ''
  /** When the address was given as bytes (see {@link classifyPlainBytes}): where; made a string only when asked for. */
  private addressBytes: Uint8Array | null = null
  private addressFrom = 0

  private setAddress(address: string): void {
    this.addressText = address
    this.addressBytes = null
    this.addressLength = address.length
  }

  /** Its group. */
  group: GroupKey = '0'

  /**
   * {@link classify} for the full pass, without allocating for the usual row. For a candidate
   * (a plain address and a flag of a group) it returns the address id and leaves the details in
   * {@link address}, {@link group} and the address book's `firstInGroup` / `seenInOtherGroup`;
   * for anything else it returns -1 and leaves the full verdict in {@link verdict}. The outcome is
   * always exactly what {@link classify} would say.
   */
  classifyRow(cells: readonly string[], row: number): number {
    const addressId = this.classifyPlain(cells[this.emailColumn] ?? '', cells[this.flagColumn] ?? '', row)
    if (addressId !== -1) return addressId
    const verdict = this.classify(cells, row)
    if (verdict.kind === 'candidate') {
      this.setAddress(verdict.address)
      this.group = verdict.group
      return verdict.addressId
    }
    this.verdict = verdict
    return -1
  }

  /**
   * The usual row, from its email and flag cells alone: when the flag is a group's and the address
   * is plain (see plainAddress), records the candidate as {@link classifyRow} does and returns its
   * address id. Otherwise returns -1 having changed nothing, and {@link classifyRow} must decide.
   */
  classifyPlain(emailCell: string, flagCell: string, row: number): number {
    const decision = this.flagRules.decide(flagCell)
    if (decision !== '0' && decision !== '1') return -1
    const address = plainAddress(emailCell)
    if (address === null) return -1
    this.flagValues.addCell(flagCell)
    this.setAddress(address)
    this.group = decision
    return this.addresses.record(address, decision, row)
  }

  /**
   * {@link classifyPlain} for a row whose email cell is known to hold a plain address, given as
   * its bytes and their hash (see ./address-table.ts; worked out while the row was read, see
   * fast/read-thread.ts): decides by the flag cell alone.
   */
  classifyPlainBytes(
    bytes: Uint8Array,
    from: number,
    length: number,
    hash: number,
    flagCell: string,
    row: number,
  ): number {
    const decision = this.flagRules.decide(flagCell)
    if (decision !== '0' && decision !== '1') return -1
    this.flagValues.addCell(flagCell)
    this.addressBytes = bytes
    this.addressFrom = from
    this.addressLength = length
    this.group = decision
    return this.addresses.note(this.table.idBytes(bytes, from, length, hash), decision, row)
  }

  /** The verdict of the last row {@link classifyRow} did not find to be a candidate. */
  verdict: Exclude<RowVerdict, { kind: 'candidate' }> = { kind: 'missing_email' }
}
