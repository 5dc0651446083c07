/**
 * Lists that match the file (issue 13): what the person chooses, what the plan shows before anything
 * is removed, and what a run reports. Zod schemas, so the contract and the engine share one
 * definition; the types are inferred from them.
 */
import { z } from 'zod'

const count = z.number().int().nonnegative()

/**
 * - `add`: imports only add; nobody leaves a list (a one-off or a first upload).
 * - `move`: after the upload, contacts on a list who are in the other group of this file leave it.
 * - `match`: also, contacts on a list who are not in its group of this file leave it (customers who
 *   left, rows that became problems, people who joined through a sign-up form).
 */
export const MembershipPolicySchema = z.enum(['add', 'move', 'match'])
export type MembershipPolicy = z.infer<typeof MembershipPolicySchema>

/** Why a contact leaves a list: its flag changed (it is in the other group), or it isn't in the file's group. */
export const LeaveReasonSchema = z.enum(['moved', 'not_in_file'])
export type LeaveReason = z.infer<typeof LeaveReasonSchema>

export const MemberSampleSchema = z.object({
  email: z.string().max(400),
  /** First and last name, when Constant Contact (or the file) has them. */
  name: z.string().max(400).optional(),
})
export type MemberSample = z.infer<typeof MemberSampleSchema>

/** How many samples of each kind a plan shows. */
export const SAMPLE_SIZE = 5

const samples = z.array(MemberSampleSchema).max(SAMPLE_SIZE)

/** One list compared with its group of the file. */
const ListMovementSchema = z.object({
  group: z.enum(['0', '1']),
  listId: z.string(),
  /** Members now (the export's rows). */
  members: count,
  /** Members who are in the list's group of this file: they stay whatever the choice. */
  staying: count,
  /** Contacts of the list's group who aren't on it yet: the upload adds them. */
  added: count,
  /** Members who are in the other group of this file: they leave with "move" and "match". */
  movedOut: count,
  /** Members in neither group of this file: they leave with "match" only. */
  notInFile: count,
  samples: z.object({ added: samples, movedOut: samples, notInFile: samples }),
  /** When the members were read (this computer's clock, when the export was asked for). */
  exportedAt: z.string(),
})
export type ListMovement = z.infer<typeof ListMovementSchema>

/** The two lists compared with the file: what each choice would do. */
export const MembershipComparisonSchema = z.object({
  comparedAt: z.string(),
  /** The lists that exist already (a list still to be created has no members to compare). */
  lists: z.array(ListMovementSchema).max(2),
  /** Contacts on both lists now, and after the upload with each choice. */
  onBoth: z.object({ now: count, add: count, move: count, match: count, sample: samples }),
})
export type MembershipComparison = z.infer<typeof MembershipComparisonSchema>

/** The choice Splitsend suggests: moving once either list has members, adding only for a first upload. */
export function suggestedPolicy(memberCounts: ReadonlyArray<number | undefined>): MembershipPolicy {
  return memberCounts.some((n) => (n ?? 0) > 0) ? 'move' : 'add'
}

/** Contacts that would leave each list with a choice. */
export function leavingWith(list: ListMovement, policy: MembershipPolicy): number {
  return policy === 'add' ? 0 : policy === 'move' ? list.movedOut : list.movedOut + list.notInFile
}

// ---- a run -------------------------------------------------------------------------------------

const MembershipPhaseSchema = z.enum([
  'starting',
  'reading_lists', // exporting the lists' members
  'comparing',
  'checking', // asking Constant Contact what arrived before an interruption
  'removing',
  'paused',
  'stopping',
  'finished',
])
export type MembershipPhase = z.infer<typeof MembershipPhaseSchema>

/** Per list: what is leaving it in this run, and how far that is. */
const ListRemovalProgressSchema = z.object({
  group: z.enum(['0', '1']),
  listId: z.string(),
  listName: z.string(),
  /** Contacts to take off the list, by reason. */
  movedOut: count,
  notInFile: count,
  /** Contacts in removals Constant Contact finished (completed). */
  removed: count,
  /** Contacts in removals that failed for good, were refused, or whose outcome the person must decide. */
  notRemoved: count,
  /** Contacts in removals whose outcome Constant Contact never confirmed, counted as done by the person. */
  unconfirmed: count,
  activitiesTotal: count,
  activitiesFinished: count,
})
export type ListRemovalProgress = z.infer<typeof ListRemovalProgressSchema>

export const MembershipProgressSchema = z.object({
  jobDir: z.string(),
  phase: MembershipPhaseSchema,
  policy: MembershipPolicySchema,
  lists: z.array(ListRemovalProgressSchema).max(2),
  overall: z.object({ contactsTotal: count, contactsDone: count, fraction: z.number().min(0).max(1) }),
  /** While the lists are read again: how far Constant Contact's exports are (their mean, 0–100). */
  readingPercent: z.number().min(0).max(100).optional(),
  message: z.string().optional(),
})
export type MembershipProgress = z.infer<typeof MembershipProgressSchema>

/**
 * - `done`: every removal Constant Contact finished; `nothing_to_do`: "add only", or nobody had to leave;
 * - `some_not_removed`: every removal ended, but some failed for good or were refused;
 * - `cancelled` / `stopped` (with `error`): run it again to continue.
 */
const MembershipOutcomeSchema = z.enum(['done', 'nothing_to_do', 'some_not_removed', 'cancelled', 'stopped'])

export const MembershipResultSchema = z.object({
  outcome: MembershipOutcomeSchema,
  error: z
    .object({ code: z.string(), message: z.string(), hint: z.string().optional(), resumeAt: z.string().optional() })
    .optional(),
  policy: MembershipPolicySchema,
  lists: z.array(ListRemovalProgressSchema).max(2),
})
export type MembershipResult = z.infer<typeof MembershipResultSchema>
