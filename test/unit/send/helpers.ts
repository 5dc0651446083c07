import { UserFacingError } from '../../../shared/errors'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seedData } from '../../../electron/services/cc-simulator/seed'
import type { SimData } from '../../../electron/services/cc-simulator/index'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import { fixedUploadOutcomes } from '../../../electron/services/send/index'
import type { UploadOutcome } from '../../../shared/send/schemas'
import { closeAfterEach, connectedAccount, tempDir, waitFor } from '../constant-contact/helpers'

export const CAMPAIGN_X = 'Practice message X: spring update'
export const CAMPAIGN_Y = 'Practice message Y: welcome'

export interface SendSetupOptions {
  /** Changes the practice account's data before the local Constant Contact starts. */
  mutate?: (data: SimData) => void
  speed?: 'instant' | 'fast'
}

/**
 * The practice account on a local Constant Contact, a job folder, and two uploaded lists (group 0:
 * three contacts, group 1: two), with the upload outcome the send step reads.
 */
export async function sendSetup(options: SendSetupOptions = {}) {
  let dataDir: string | undefined
  if (options.mutate) {
    dataDir = tempDir('send-sim')
    const data = seedData('practice', Date.now())
    options.mutate(data)
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(join(dataDir, 'cc-simulator-state.json'), JSON.stringify(data))
  }
  const ctx = await connectedAccount({ speed: options.speed ?? 'instant', ...(dataDir ? { dataDir } : {}) })
  const client = await ctx.account.client()
  const jobDir = tempDir('send-job')
  const list0 = await uploadedList(client, 'Spring group 0', ['a0@example.com', 'b0@example.com', 'c0@example.com'])
  const list1 = await uploadedList(client, 'Spring group 1', ['a1@example.com', 'b1@example.com'])
  const outcomes: UploadOutcome[] = [
    { group: '0', listId: list0, listName: 'Spring group 0', contactsAdded: 3, finished: true },
    { group: '1', listId: list1, listName: 'Spring group 1', contactsAdded: 2, finished: true },
  ]
  const campaigns = ctx.sim.control.snapshot().campaigns
  const idOf = (name: string) => campaigns.find((c) => c.name === name)!.campaign_id
  const activityOf = (campaignId: string) =>
    campaigns.find((c) => c.campaign_id === campaignId)!.activity_ids.find((a) => a.role === 'primary_email')!
      .campaign_activity_id
  return {
    ...ctx,
    client,
    jobDir,
    list0,
    list1,
    outcomes,
    uploads: fixedUploadOutcomes(outcomes),
    x: idOf(CAMPAIGN_X),
    y: idOf(CAMPAIGN_Y),
    idOf,
    activityOf,
    /** How many campaigns of the account have this name now. */
    campaignsNamed: (name: string) => ctx.sim.control.snapshot().campaigns.filter((c) => c.name === name).length,
    /** POSTs to the schedules endpoint that reached the local Constant Contact. */
    schedulePosts: () => ctx.sim.control.requests().filter((r) => r.method === 'POST' && /\/schedules$/.test(r.path)),
  }
}

export type SendContext = Awaited<ReturnType<typeof sendSetup>>

async function uploadedList(client: CcClient, name: string, emails: string[]): Promise<string> {
  const list = await client.createList({ name })
  const activity = await client.importContactsJson({
    import_data: emails.map((email) => ({ email })),
    list_ids: [list.list_id!],
  })
  await waitFor(
    async () => ((await client.getActivity(activity.activity_id!)).state === 'completed' ? true : undefined),
    10_000,
    50,
  )
  return list.list_id!
}

/** A campaign's primary email in the practice data, to change it before the simulator starts. */
export function primaryEmail(data: SimData, campaignName: string) {
  const campaign = data.campaigns.find((c) => c.name === campaignName)!
  const id = campaign.activity_ids.find((a) => a.role === 'primary_email')!.campaign_activity_id
  return data.campaign_activities.find((a) => a.campaign_activity_id === id)!
}

/** The UserFacingError a promise is refused with (fails the test if it isn't). */
export async function rejection(promise: Promise<unknown>): Promise<UserFacingError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof UserFacingError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

/**
 * A test file's `setup`: each call makes a fresh signed-in send setup (sendSetup), closed after the
 * test that made it.
 */
export function sendSetupPerTest(): (options?: SendSetupOptions) => ReturnType<typeof sendSetup> {
  const closeLater = closeAfterEach()
  return async (options = {}) => {
    const ctx = await sendSetup(options)
    closeLater(ctx.close)
    return ctx
  }
}
