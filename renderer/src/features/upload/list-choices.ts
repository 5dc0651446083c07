/** The person's list choices for the two groups, as the form holds them and as the engine takes them. */
import type { GroupKey } from '../../../../shared/ids'
import type { AccountList, ListChoice, UploadChoices } from './types'

/** What the person chose for one group, as the form holds it. */
export interface GroupChoiceDraft {
  mode: 'existing' | 'new' | 'skip'
  listId: string | null
  name: string
}

export type Drafts = Record<GroupKey, GroupChoiceDraft>

/**
 * The choices the form starts with: the earlier job's list for each group when the file was opened
 * with its choices (by ID while the account still has it, else by its name), else a new list named
 * after the group.
 */
export function firstDrafts(
  groupNames: Record<GroupKey, string>,
  earlier: Record<GroupKey, { listId?: string; name: string } | null> | null,
  lists: AccountList[],
): Drafts {
  const first = (group: GroupKey): GroupChoiceDraft => {
    const list = earlier?.[group]
    if (!list) return { mode: 'new', listId: null, name: groupNames[group] }
    const found = lists.find((l) => l.listId === list.listId)
    return found
      ? { mode: 'existing', listId: found.listId, name: found.name }
      : { mode: 'new', listId: null, name: list.name }
  }
  return { '0': first('0'), '1': first('1') }
}

/** The engine's choice for one group's draft; null while the draft is incomplete. */
function toChoice(draft: GroupChoiceDraft): ListChoice | null {
  if (draft.mode === 'skip') return { kind: 'skip' }
  if (draft.mode === 'existing') return draft.listId ? { kind: 'existing', listId: draft.listId } : null
  return draft.name.trim() ? { kind: 'name', name: draft.name.trim() } : null
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
