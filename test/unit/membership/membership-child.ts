/**
 * A child process for the crash tests: runs the membership step on a job folder with the account
 * connected in the (test) keychain, as the command does, and prints its result as one JSON line.
 * Argument: a JSON object { jobDir, choice, batchSize }. SPLITSEND_TEST_KILL_AT kills it on the way.
 */
import { createAccountService } from '../../../electron/services/account/index'
import { createCredentialStore } from '../../../electron/services/credentials'
import { startMembership, type MembershipChoice } from '../../../electron/services/membership/index'
import { TEST_POLL, testLimiter } from '../pace'

const input = JSON.parse(process.argv[2]!) as { jobDir: string; choice: MembershipChoice; batchSize: number }
// The keychain the parent signed in to; fast limits (the tests' local Constant Contact allows them).
const account = createAccountService({
  credentials: createCredentialStore(),
  openBrowser: (url) => void process.stderr.write(`unexpected sign-in: ${url}\n`),
  limiter: testLimiter(),
})
try {
  const client = await account.client()
  const result = await startMembership(
    input.jobDir,
    client,
    { choice: input.choice },
    { batchSize: input.batchSize, poll: TEST_POLL, exports: { poll: TEST_POLL }, comparison: 'here' },
  ).done
  process.stdout.write(`${JSON.stringify(result)}\n`)
} finally {
  await account.close()
}
