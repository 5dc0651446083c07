import { randomBytes } from 'node:crypto'
import { UserFacingError } from '../../../shared/errors'
import type { UploadPlan } from './plan'

/** Plans kept for `upload.start`: the newest few, one per job. */
const MAX_KEPT_PLANS = 20

/**
 * The plans `upload.plan` showed the person, each under an ID, so `upload.start` runs exactly what
 * they saw (and refuses one that is out of date or blocked).
 */
export class KeptPlans {
  private readonly plans = new Map<string, { jobId: string; plan: UploadPlan }>()

  /** Keeps `plan` as the job's only one; returns its ID. */
  keep(jobId: string, plan: UploadPlan): string {
    for (const [id, kept] of this.plans) if (kept.jobId === jobId) this.plans.delete(id)
    while (this.plans.size >= MAX_KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!)
    const planId = randomBytes(12).toString('base64url')
    this.plans.set(planId, { jobId, plan })
    return planId
  }

  /** The job's plan kept under `planId`, if it can be started as it is. */
  startable(jobId: string, planId: string): UploadPlan {
    const kept = this.plans.get(planId)
    if (!kept || kept.jobId !== jobId)
      throw new UserFacingError(
        'plan_out_of_date',
        'That plan is out of date, so nothing was sent.',
        'Check the plan again, then start the upload.',
      )
    if (kept.plan.blockers.length)
      throw new UserFacingError(
        'plan_blocked',
        kept.plan.blockers[0]!,
        'Change your choices, check the plan again, then start.',
      )
    return kept.plan
  }

  /** Forgets a plan once its run has started. */
  forget(planId: string): void {
    this.plans.delete(planId)
  }
}
