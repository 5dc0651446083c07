/**
 * Runs the `splitsend` command from the TypeScript sources (the crash tests start it as a child
 * process), at the tests' pace (../pace.ts): the crash tests are about a command killed and run
 * again, not about Constant Contact's 4 a second, which client.test.ts checks at real speed.
 */
import { main } from '../../../electron/cli/splitsend'
import { replaceSharedRateLimiter } from '../../../electron/services/constant-contact/rate-limiter'
import { replaceDefaultPollTiming } from '../../../electron/services/upload/poll-schedule'
import { TEST_POLL, testLimiter } from '../pace'

replaceSharedRateLimiter(testLimiter())
// The command passes no schedule of its own: its status checks follow the default, here the tests'.
replaceDefaultPollTiming(TEST_POLL)

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})
