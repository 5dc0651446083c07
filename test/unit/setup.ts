// Runs before each unit test file (vitest.config.ts `setupFiles`).
import { afterAll } from 'vitest'
import { replaceDefaultPollTiming } from '../../electron/services/upload/poll-schedule'
import { TEST_POLL } from './pace'
import { removeFileFolder } from './temp'

afterAll(removeFileFolder)
// Runs that aren't given a schedule (the app's handlers, the commands) check on Constant Contact at
// the tests' pace too; poll-schedule.test.ts checks Constant Contact's own.
replaceDefaultPollTiming(TEST_POLL)
