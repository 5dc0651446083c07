import { randomBytes } from 'node:crypto'
import { UserFacingError } from '../../../shared/errors'
import type { MembershipComparison } from '../../../shared/membership/schemas'
import type { UploadPlan } from './plan'

/** A plan the person saw, with the lists' comparison it showed (null when no list had members). */
export interface KeptPlan {
  plan: UploadPlan
  comparison: MembershipComparison | null
}

/** Plans kept for `upload.start`: the newest few, one per job. */
const MAX_KEPT_PLANS = 20

/**
 * The plans `upload.plan` showed the person, each under an ID, so `upload.start` runs exactly what
 * they saw (and refuses one that is out of date or blocked).
 */
export class KeptPlans {
  private readonly plans = new Map<string, KeptPlan & { jobId: string }>()

  /** Keeps `plan` as the job's only one; returns its ID. */
  keep(jobId: string, kept: KeptPlan): string {
    for (const [id, other] of this.plans) if (other.jobId === jobId) this.plans.delete(id)
    while (this.plans.size >= MAX_KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!)
    const planId = randomBytes(12).toString('base64url')
    this.plans.set(planId, { jobId, ...kept })
    return planId
  }

  /** The job's plan kept under `planId`, if it can be started as it is. */
  startable(jobId: string, planId: string): KeptPlan {
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
    return kept
  }

  /** Forgets a plan once its run has started. */
  forget(planId: string): void {
    this.plans.delete(planId)
  }
}
