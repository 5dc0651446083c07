import { customFieldName } from '../../../shared/prepare/output-columns'
import { allPages, type CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import type { ContactList, CustomField } from '../constant-contact/types'
import type { AccountList, ListChoice, PlannedList } from '../../../shared/upload/schemas'

/** The account's contact lists with their member counts, by name: the lists a group can go to. */
export async function accountLists(client: CcClient): Promise<AccountList[]> {
  const lists: AccountList[] = []
  for await (const page of allPages(
    () => client.getLists({ limit: 1000, include_membership_count: 'all' }),
    (next) => client.getLists(next),
  )) {
    for (const list of page.lists ?? []) {
      if (!list.list_id || !list.name) continue
      lists.push({
        listId: list.list_id,
        name: list.name,
        ...(list.membership_count !== undefined ? { memberCount: list.membership_count } : {}),
      })
    }
  }
  return lists.sort((a, b) => a.name.localeCompare(b.name))
}

/** Finds the list a group's choice points at, without changing anything. Undefined: it doesn't exist. */
export async function lookUpList(
  client: CcClient,
  choice: Exclude<ListChoice, { kind: 'skip' }>,
  signal?: AbortSignal,
): Promise<PlannedList | undefined> {
  let list: ContactList | undefined
  if (choice.kind === 'existing') {
    try {
      list = await client.getList(choice.listId, { include_membership_count: 'all' }, { ...(signal ? { signal } : {}) })
    } catch (error) {
      if (error instanceof ConstantContactError && error.code === 'cc_not_found') return undefined
      throw error
    }
  } else {
    list = await client.findListByName(choice.name, { ...(signal ? { signal } : {}) })
  }
  if (!list) return undefined
  return {
    name: list.name,
    listId: list.list_id,
    exists: true,
    ...(list.membership_count !== undefined ? { memberCount: list.membership_count } : {}),
  }
}

export async function allCustomFields(client: CcClient, signal?: AbortSignal): Promise<CustomField[]> {
  const call = signal ? { signal } : {}
  const fields: CustomField[] = []
  for await (const page of allPages(
    () => client.getCustomFields({ limit: 100 }, call),
    (next) => client.getCustomFields(next, call),
  )) {
    fields.push(...(page.custom_fields ?? []))
  }
  return fields
}

/**
 * The account's field for a prepared `cf:<name>` column: same name, or a label/name that Prepare
 * would have turned into the same prepared name ("Member Since" → member_since).
 */
export function matchCustomField(column: string, fields: readonly CustomField[]): CustomField | undefined {
  const wanted = column.slice(3)
  return (
    fields.find((f) => f.name === wanted) ??
    fields.find((f) => f.name?.toLowerCase() === wanted.toLowerCase()) ??
    fields.find((f) => customFieldName(f.name ?? '') === wanted || customFieldName(f.label ?? '') === wanted)
  )
}
