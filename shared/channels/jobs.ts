/** The Jobs view's part of the contract: every job in Splitsend's data folder (see ../contract.ts). */
import { z } from 'zod'
import { JobIdSchema } from '../ids'
import { JobChoicesSchema, JobViewSchema } from '../jobs/schemas'
import { none, request, type RequestSpec } from './request'

const job = z.object({ jobId: JobIdSchema })

export const jobsRequests = {
  /** Every job in the jobs folder, the latest change first, with where it stands. */
  'jobs.list': request(none, z.array(JobViewSchema)),
  /** One job, as in the list. */
  'jobs.get': request(job, JobViewSchema),
  /** What a job was made with, for the next month's file. */
  'jobs.choices': request(job, JobChoicesSchema),
  /**
   * Removes a job from the list, deleting its folder. A job with a report is removed only with
   * `deleteReport: true` (the person agreed to lose it); a job being uploaded or sent is not removed.
   */
  'jobs.remove': request(z.object({ jobId: JobIdSchema, deleteReport: z.boolean() }), z.literal(true)),
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>
