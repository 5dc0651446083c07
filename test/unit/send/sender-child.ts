/**
 * A sender in its own process, for the crash and concurrency tests: signs in to the local Constant
 * Contact the parent runs, sends one group's campaign, prints the result (or the refusal) as one
 * JSON line. `SEND_KILL_AT=<step>` makes it SIGKILL itself at that step of the send (no clean-up,
 * no flush: like a force quit or a power cut).
 *
 *   node --import tsx test/unit/send/sender-child.ts
 *   env: SEND_API_BASE SEND_AUTH_BASE SEND_JOB_DIR SEND_UPLOADS(JSON) SEND_GROUP SEND_CAMPAIGN SEND_WHEN
 *        [SEND_KILL_AT] [SEND_LOCK_WAIT_MS]
 */
import { createAccountService } from '../../../electron/services/account/index'
import { fixedUploadOutcomes, send, type SendStep } from '../../../electron/services/send/index'
import type { GroupKey } from '../../../shared/ids'
import { toErrorData } from '../../../shared/errors'
import { FAST_RETRY, memoryCredentials, playBrowser } from '../constant-contact/helpers'
import { testLimiter } from '../pace'

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}

const account = createAccountService({
  credentials: memoryCredentials(),
  openBrowser: (url) => void playBrowser(url),
  limiter: testLimiter(),
  retry: FAST_RETRY,
})
const endpoint = { apiBase: env('SEND_API_BASE'), authBase: env('SEND_AUTH_BASE') }
try {
  await account.saveApiKey('crash-test-client', endpoint)
  await account.connect({ mode: 'browser', endpoint })
  const client = await account.client()
  const killAt = process.env.SEND_KILL_AT as SendStep | undefined
  const result = await send(
    env('SEND_JOB_DIR'),
    client,
    { group: env('SEND_GROUP') as GroupKey, campaignId: env('SEND_CAMPAIGN'), when: env('SEND_WHEN') },
    {
      uploads: fixedUploadOutcomes(JSON.parse(env('SEND_UPLOADS'))),
      lockWaitMs: Number(process.env.SEND_LOCK_WAIT_MS ?? 0),
      onStep: (step) => {
        if (step === killAt) process.kill(process.pid, 'SIGKILL')
      },
    },
  )
  process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`)
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: toErrorData(error), detail: String(error) })}\n`)
  process.exitCode = 1
} finally {
  await account.close()
}
