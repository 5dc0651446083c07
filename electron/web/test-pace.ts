import type { SpeedSetting } from '../services/cc-simulator/activities'
import { practiceSimulator, type PracticeServer, type SimulatorFactory } from '../services/account/practice'
import type { AppServicesOptions } from '../services/app-services'
import { replaceDefaultPollTiming } from '../services/upload/poll-schedule'
import {
  TEST_REQUESTS_PER_SECOND,
  TEST_SPEED,
  TEST_POLL,
  TEST_TOKEN_REQUESTS_PER_SECOND,
  testLimiter,
  testTokenGate,
} from '../services/test-pace'

/** The environment variable that puts a web bridge at the tests' pace. */
const TEST_PACE_VARIABLE = 'SPLITSEND_TEST_PACE'

/** The practice account's speeds a browser test may ask for: the tests' own, or a person's (to watch a run go by). */
const SPEEDS: Record<string, SpeedSetting> = { test: TEST_SPEED, realistic: 'realistic' }

export interface TestPace {
  services: NonNullable<AppServicesOptions['pace']>
  /** Sets the practice account's speed (a name of {@link SPEEDS}); false for an unknown name. */
  setPracticeSpeed(name: string): Promise<boolean>
}

/**
 * The browser tests' pace for this web bridge, when `SPLITSEND_TEST_PACE=fast` is set (and only
 * then): the tests' limiters and status-check schedule (test-pace.ts) and a practice account that
 * works at the tests' speed unless a test asks for a person's. Only the web bridge's entry point reads it; the desktop app
 * never does, so an installed app can't be switched to it.
 */
export function testPaceFromEnvironment(env: NodeJS.ProcessEnv = process.env): TestPace | undefined {
  if (env[TEST_PACE_VARIABLE] !== 'fast') return undefined
  replaceDefaultPollTiming(TEST_POLL)
  let speed: SpeedSetting = TEST_SPEED
  const running = new Set<PracticeServer>()
  const start = practiceSimulator({
    speed,
    requestsPerSecond: TEST_REQUESTS_PER_SECOND,
    tokenRequestsPerSecond: TEST_TOKEN_REQUESTS_PER_SECOND,
  })
  const simulatorFactory: SimulatorFactory = async (options) => {
    const server = await start(options)
    // Listed before its speed is set, so a speed asked for meanwhile reaches it too.
    running.add(server)
    void server.ended.then(() => running.delete(server))
    await server.setSpeed(speed)
    return {
      ...server,
      close: async () => {
        running.delete(server)
        await server.close()
      },
    }
  }
  return {
    services: { limiter: testLimiter(), tokenGate: testTokenGate(), simulatorFactory },
    async setPracticeSpeed(name) {
      const chosen = SPEEDS[name]
      if (!chosen) return false
      speed = chosen
      await Promise.all([...running].map((server) => server.setSpeed(chosen)))
      return true
    },
  }
}
