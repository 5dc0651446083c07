/**
 * The plain words of "lists that match the file", the same in the app, the command and the report.
 */
import { leavingWith, type ListMovement, type MemberSample, type MembershipPolicy } from './schemas'

export const POLICY_LABELS: Record<MembershipPolicy, string> = {
  add: 'Add only',
  move: 'Move customers whose flag changed',
  match: 'Make each list match its group exactly',
}

export const POLICY_EXPLANATIONS: Record<MembershipPolicy, string> = {
  add: 'The contacts of this file are added to their list and nobody is taken off a list. A customer whose flag changed since the last upload stays on the other list too, and gets both messages. Right for a one-off or a first upload.',
  move: 'After the upload, contacts on a list who are in the other group of this file are taken off it, so nobody gets both messages. Nobody else is touched.',
  match:
    'After the upload, each list keeps only its group of this file: also taken off are customers who are no longer in the file, rows that became problems, and people who joined the list another way, such as a sign-up form.',
}

export const REMOVAL_IS_NOT_DELETION =
  'Taking a contact off a list never deletes or unsubscribes it: it stays in your account and on its other lists.'

const n = (value: number): string => value.toLocaleString('en-US')
const people = (count: number): string => `${n(count)} ${count === 1 ? 'contact' : 'contacts'}`

/** A contact as a sample shows it: "Ana Lopez <ana@example.com>", or the address alone. */
export function sampleName(sample: MemberSample): string {
  return sample.name ? `${sample.name} <${sample.email}>` : sample.email
}

/** What the upload and the choice do to one list, in one or two sentences. */
export function movementSentence(
  list: ListMovement,
  policy: MembershipPolicy,
  listName: string,
  groupName: string,
): string {
  const parts = [`“${listName}” (for ${groupName}) has ${people(list.members)} now; the upload adds ${n(list.added)}.`]
  const are = (count: number): string => (count === 1 ? 'is' : 'are')
  if (list.movedOut)
    parts.push(
      `${people(list.movedOut)} on it ${are(list.movedOut)} in the other group of this file and ${
        policy === 'add' ? 'stay' : list.movedOut === 1 ? 'moves out' : 'move out'
      }${policy === 'add' && list.movedOut === 1 ? 's' : ''}.`,
    )
  if (list.notInFile)
    parts.push(
      `${people(list.notInFile)} on it ${list.notInFile === 1 ? 'isn’t' : 'aren’t'} in this file’s ${groupName} and ${
        policy === 'match' ? `${are(list.notInFile)} removed` : `stay${list.notInFile === 1 ? 's' : ''}`
      }.`,
    )
  if (!list.movedOut && !list.notInFile) parts.push('Nobody on it has to leave.')
  return parts.join(' ')
}

/** The total taken off the lists with a choice, in words ("312 contacts leave a list"). */
export function leavingSentence(lists: readonly ListMovement[], policy: MembershipPolicy): string {
  const total = lists.reduce((sum, l) => sum + leavingWith(l, policy), 0)
  return total === 0 ? 'Nobody is taken off a list.' : `${people(total)} will be taken off a list.`
}
