import type { sendRequests } from '../../../shared/channels/send'
import type { GroupKey } from '../../../shared/ids'
import type { Handlers } from '../contract-dispatch'
import { preparedJobDir } from '../jobs/locations'
import { readSummaryFile } from '../prepare/job-files'
import {
  campaignDetails,
  copyCampaign,
  listCampaigns,
  moveOnBothListsNow,
  preflight,
  resolveUnclearSend,
  send,
  sendAnywayOnBothLists,
  sendState,
  sendTest,
  unschedule,
  uploadJournalOutcomes,
} from './index'
import type { StepServiceDeps } from '../app-services'

type SendRequestName = keyof typeof sendRequests

/**
 * How long a send (or a cancel) waits while another window or the command holds the job. A second
 * press then gets the first one's result (`alreadyDone`) instead of a "busy" refusal.
 */
const LOCK_WAIT_MS = 20_000

/** The Send step over the contract (see shared/channels/send.ts). */
export function createSendHandlers({ account, jobsDir, emit }: StepServiceDeps): {
  handlers: Pick<Handlers, SendRequestName>
  dispose(): Promise<void>
} {
  const jobDir = (jobId: string): string => preparedJobDir(jobsDir, jobId)

  const handlers: Pick<Handlers, SendRequestName> = {
    'send.job': async ({ jobId }) => {
      const dir = jobDir(jobId)
      return { groupNames: groupNamesOf(dir), uploads: await uploadJournalOutcomes(dir) }
    },
    'send.campaigns': async ({ search }) =>
      listCampaigns(await account.client(), search === undefined ? {} : { search }),
    'send.campaign': async ({ campaignId }) => campaignDetails(await account.client(), campaignId),
    'send.preflight': async ({ jobId, group, campaignId }) =>
      preflight(jobDir(jobId), await account.client(), group, campaignId, { uploads: uploadJournalOutcomes }),
    'send.test': async ({ campaignId, addresses, personalMessage }) =>
      sendTest(await account.client(), {
        campaignId,
        addresses,
        ...(personalMessage === undefined ? {} : { personalMessage }),
      }),
    'send.send': async ({ jobId, group, campaignId, when }) =>
      send(
        jobDir(jobId),
        await account.client(),
        { group, campaignId, when },
        { uploads: uploadJournalOutcomes, lockWaitMs: LOCK_WAIT_MS },
      ),
    'send.copy': async ({ jobId, group, campaignId }) =>
      copyCampaign(jobDir(jobId), await account.client(), { group, campaignId }, { lockWaitMs: LOCK_WAIT_MS }),
    'send.resolve': async ({ jobId, group, answer }) =>
      resolveUnclearSend(jobDir(jobId), group, answer, { lockWaitMs: LOCK_WAIT_MS }),
    'send.unschedule': async ({ jobId, group }) =>
      unschedule(jobDir(jobId), await account.client(), group, { lockWaitMs: LOCK_WAIT_MS }),
    'send.state': async ({ jobId }) => sendState(jobDir(jobId), await account.client()),
    'send.moveBothNow': async ({ jobId }) => {
      const dir = jobDir(jobId)
      return moveOnBothListsNow(dir, await account.client(), await uploadJournalOutcomes(dir), {
        onProgress: ({ jobDir: _, ...progress }) => emit('send.moveProgress', { jobId, progress }),
      })
    },
    'send.sendAnyway': ({ jobId, checkedAt }) => {
      sendAnywayOnBothLists(jobDir(jobId), checkedAt)
      return true
    },
  }
  return { handlers, dispose: async () => {} }
}

/**
 * The person's names for the two groups, from the job's summary (Map's defaults for a name left
 * empty). A summary that is missing or damaged says so, and what to do (see readSummaryFile).
 */
function groupNamesOf(dir: string): Record<GroupKey, string> {
  const { groupNames } = readSummaryFile(dir, 'Open the spreadsheet again and prepare the groups, then upload them.')
  return { '0': groupNames['0'] || 'Flag 0', '1': groupNames['1'] || 'Flag 1' }
}
