/**
 * Measuring an upload reads and serialises every contact of the job: the plan (and a run that must
 * measure again) does it in the measure worker, never on the thread that serves the person.
 */
import { describe, expect, it, vi } from 'vitest'
import { planUpload } from '../../../electron/services/upload/index'
import { planActivities } from '../../../electron/services/upload/measure'
import { connectedAccountPerTest } from '../constant-contact/helpers'
import { preparedJob } from './helpers'

// Counts the measuring done on this thread; the worker has its own copy of the module.
vi.mock('../../../electron/services/upload/chunks', async (original) => {
  const actual = await original<typeof import('../../../electron/services/upload/chunks')>()
  return { ...actual, planGroupActivities: vi.fn(actual.planGroupActivities) }
})
const { planGroupActivities } = await import('../../../electron/services/upload/chunks')

const connectAccount = connectedAccountPerTest()

describe('measuring an upload', () => {
  it('happens in the measure worker, with the same activities as measuring here', async () => {
    const ctx = await connectAccount({ speed: 'instant', seed: 'empty' })
    const job = await preparedJob({ group0: 1_200, group1: 800, tag: 'measure' })
    const plan = await planUpload(job.dir, await ctx.account.client(), {
      lists: { '0': { kind: 'name', name: 'Measured 0' }, '1': { kind: 'name', name: 'Measured 1' } },
      createLists: true,
      createCustomFields: true,
    })
    expect(plan.activities.reduce((n, a) => n + a.count, 0)).toBe(2_000)
    expect(planGroupActivities).not.toHaveBeenCalled()

    expect(planActivities(job.dir, plan.sizing, plan.limits)).toEqual(plan.activities)
    expect(planGroupActivities).toHaveBeenCalled()
  })
})
