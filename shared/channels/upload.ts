/** The Upload and Report steps' part of the contract (see ../contract.ts). */
import { z } from 'zod'
import { none, request, type RequestSpec } from './request'
import { BridgeDownloadSchema } from '../web-bridge-protocol'
import { JobIdSchema, PlanIdSchema } from '../ids'
import {
  AccountListSchema,
  ReportFileKindSchema,
  ReportFilesSchema,
  ReportModelSchema,
  SavedFileSchema,
  UploadChoicesSchema,
  UploadJobStatusSchema,
  UploadMembershipChoiceSchema,
  UploadPlanViewSchema,
  UploadProgressViewSchema,
  UploadResultViewSchema,
} from '../upload/schemas'

const job = z.object({ jobId: JobIdSchema })
const reportFile = z.object({ jobId: JobIdSchema, file: ReportFileKindSchema })

export const uploadRequests = {
  /** The connected account's contact lists (with member counts), for choosing where each group goes. */
  'upload.lists': request(none, z.array(AccountListSchema)),
  /** What an upload with these choices would do (changes nothing in Constant Contact): show it before starting. */
  'upload.plan': request(z.object({ jobId: JobIdSchema, choices: UploadChoicesSchema }), UploadPlanViewSchema),
  /**
   * Starts the upload of a plan from `upload.plan`, or continues the job's unfinished one
   * (`resume`). Returns at once; `upload.progress` and `upload.finished` follow.
   */
  'upload.start': request(
    z.object({
      jobId: JobIdSchema,
      start: z.union([
        z.object({ planId: PlanIdSchema, membership: UploadMembershipChoiceSchema.optional() }),
        z.object({
          resume: z.literal(true),
          // resendUnclear: the person's "send it again" for an import that couldn't be told apart.
          resendUnclear: z.literal(true).optional(),
          /** The person's answer when a removal's arrival couldn't be told (see membership_unsure). */
          unsure: z.enum(['send_again', 'done']).optional(),
        }),
      ]),
    }),
    UploadJobStatusSchema,
  ),
  /** Stops sending and checking for now (activities already sent keep going in Constant Contact). */
  'upload.pause': request(job, UploadJobStatusSchema),
  /** Goes on after `upload.pause`. */
  'upload.continue': request(job, UploadJobStatusSchema),
  /** Sends nothing more; `upload.finished` then says what was already sent. */
  'upload.cancel': request(job, UploadJobStatusSchema),
  /** Where the job's upload stands (a run of this session, or what the journal says). */
  'upload.status': request(job, UploadJobStatusSchema),
  /** The report's summary (report.csv and report.html are written again from the journal). */
  'report.model': request(job, ReportModelSchema),
  /** Where the job's report.csv and report.html are. */
  'report.files': request(job, ReportFilesSchema),
  /** A report file as a download (the web bridge's; the desktop app saves it with report.save). */
  'report.download': request(reportFile, BridgeDownloadSchema, { host: true }),
  /** Open a report file with the computer's own app for it (a browser downloads it). */
  'report.open': request(reportFile, z.boolean(), { host: true }),
  /** Save a copy of a report file where the person chooses (a browser downloads it). */
  'report.save': request(reportFile, SavedFileSchema, { host: true }),
  /** Save report.html as a PDF where the person chooses (desktop app only). */
  'report.savePdf': request(job, SavedFileSchema, { host: true }),
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const uploadEvents = {
  /** While `upload.plan` reads the lists' members from Constant Contact and compares them with the file. */
  'upload.planProgress': z.object({
    jobId: JobIdSchema,
    step: z.enum(['reading', 'comparing']),
    listName: z.string().optional(),
    percentDone: z.number().min(0).max(100).optional(),
  }),
  /** How the job's upload is going (at most ~10 a second). */
  'upload.progress': z.object({ jobId: JobIdSchema, progress: UploadProgressViewSchema }),
  /** The job's upload ended, however it ended. */
  'upload.finished': z.object({ jobId: JobIdSchema, result: UploadResultViewSchema }),
} satisfies Record<string, z.ZodType>
