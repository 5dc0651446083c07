/** The person's list choices for the two groups, as the form holds them and as the engine takes them. */
import type { GroupKey } from '../../../../shared/ids'
import type { JobChoices } from '../../../../shared/jobs/schemas'
import type { LastChoices, LastList } from '../../../../shared/prepare/last-choices'
import type { AccountList, ListChoice, UploadChoices } from './types'

/** What the person chose for one group, as the form holds it. */
export interface GroupChoiceDraft {
  mode: 'existing' | 'new' | 'skip'
  listId: string | null
  name: string
  /**
   * When the new list's name is the one Splitsend suggested (from the flag column): whether the
   * person has said to use it. No list is made from an unchanged suggestion without asking. Null
   * when the name is the person's own.
   */
  suggestion: 'unconfirmed' | 'confirmed' | null
}

export type Drafts = Record<GroupKey, GroupChoiceDraft>

/** The engine's choice for one group's draft; null while the draft is incomplete. */
function toChoice(draft: GroupChoiceDraft): ListChoice | null {
  if (draft.mode === 'skip') return { kind: 'skip' }
  if (draft.mode === 'existing') return draft.listId ? { kind: 'existing', listId: draft.listId } : null
  return draft.name.trim() && draft.suggestion !== 'unconfirmed' ? { kind: 'name', name: draft.name.trim() } : null
}

/** The list a draft points at, for telling whether both groups would go to the same one. */
function target(draft: GroupChoiceDraft, lists: AccountList[]): string | null {
  if (draft.mode === 'existing') return draft.listId ? `id:${draft.listId}` : null
  if (draft.mode === 'new') {
    const name = draft.name.trim()
    const existing = lists.find((l) => l.name === name)
    return name ? (existing ? `id:${existing.listId}` : `name:${name}`) : null
  }
  return null
}

/**
 * A group's first choice: where it went in the last run of a file with the same columns (the same
 * list, by its ID when known), or else a new list named after the group (to be confirmed when the
 * name is Splitsend's suggestion).
 */
export function firstChoice(groupName: string, nameIsSuggestion: boolean, last?: LastList): GroupChoiceDraft {
  if (last?.kind === 'skip') return { mode: 'skip', listId: null, name: groupName, suggestion: null }
  if (last?.kind === 'list')
    return last.listId
      ? { mode: 'existing', listId: last.listId, name: last.name, suggestion: null }
      : { mode: 'new', listId: null, name: last.name, suggestion: null }
  return { mode: 'new', listId: null, name: groupName, suggestion: nameIsSuggestion ? 'unconfirmed' : null }
}

/**
 * The drafts against the account's lists as they are now: a list chosen in the last run that is no
 * longer in the account (deleted in Constant Contact since) becomes a new list of the same name,
 * and is named in `gone` so the person is told.
 */
export function withAccountLists(drafts: Drafts, lists: AccountList[]): { drafts: Drafts; gone: string[] } {
  const gone: string[] = []
  const check = (draft: GroupChoiceDraft): GroupChoiceDraft => {
    if (draft.mode !== 'existing' || !draft.listId || lists.some((l) => l.listId === draft.listId)) return draft
    gone.push(draft.name)
    return { mode: 'new', listId: null, name: draft.name, suggestion: null }
  }
  return { drafts: { '0': check(drafts['0']), '1': check(drafts['1']) }, gone }
}

/** Whether both groups would go to the same list, and the choices to plan with (null while they can't be planned). */
export function uploadChoices(
  drafts: Drafts,
  lists: AccountList[],
  createCustomFields: boolean,
): { sameList: boolean; choices: UploadChoices | null } {
  const first = target(drafts['0'], lists)
  const sameList = first !== null && first === target(drafts['1'], lists)
  const zero = toChoice(drafts['0'])
  const one = toChoice(drafts['1'])
  if (!zero || !one || sameList || (zero.kind === 'skip' && one.kind === 'skip')) return { sameList, choices: null }
  return {
    sameList,
    choices: {
      lists: { '0': zero, '1': one },
      createLists: zero.kind === 'name' || one.kind === 'name',
      createCustomFields,
    },
  }
}

/** Where each group went in the run whose choices the file was opened with. */
export interface EarlierLists {
  lists: Record<GroupKey, LastList | undefined>
  /** The earlier file's name when a picked job's choices were used; null for the last run's. */
  fromFile: string | null
}

/**
 * The lists of the choices the file was opened with, in one form (for {@link firstChoice}): a picked
 * job's ("Start the next file with these choices"; a group it didn't upload gets a new list named
 * after it), else the last run's with the same columns.
 */
export function earlierListsOf(
  job: Pick<JobChoices, 'lists' | 'sourceFile'> | null,
  lastRun: LastChoices['lists'] | undefined,
): EarlierLists | null {
  if (job) {
    const listOf = (group: GroupKey): LastList | undefined => {
      const list = job.lists[group]
      return list ? { kind: 'list', name: list.name, ...(list.listId ? { listId: list.listId } : {}) } : undefined
    }
    return { lists: { '0': listOf('0'), '1': listOf('1') }, fromFile: job.sourceFile }
  }
  return lastRun ? { lists: lastRun, fromFile: null } : null
}
