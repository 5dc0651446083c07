/** The app's own part of the contract: what it is, and the files and folders the person gives it (see ../contract.ts). */
import { z } from 'zod'
import { FileIdSchema } from '../ids'
import { none, request, type RequestSpec } from './request'

/** A spreadsheet main has been given (picked, dropped or uploaded); the renderer only ever sees this. */
export const AttachedFileSchema = z.object({
  fileId: FileIdSchema,
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
})
export type AttachedFile = z.infer<typeof AttachedFileSchema>

const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport carries the contract: the desktop app or the web bridge. */
  host: z.enum(['electron', 'web']),
  platform: z.string(),
})

const FolderChoiceSchema = z.object({
  /** The folder the person chose; null where the host has no folder picker (then main chooses). */
  folder: z.string().nullable(),
  cancelled: z.boolean(),
})

export const appRequests = {
  /** Name, version and which host the app runs in. */
  'app.info': request(none, AppInfoSchema),
  /** Ask the person for a spreadsheet with the host's own file picker; null when they cancel. */
  'files.pick': request(none, AttachedFileSchema.nullable(), { host: true }),
  /** Register a file the person dropped on the window, by its path on disk (desktop app). */
  'files.attachPath': request(z.object({ path: z.string().min(1).max(4096) }), AttachedFileSchema),
  /** Ask the person for a folder with the host's own picker. */
  'dialog.chooseFolder': request(z.object({ title: z.string().max(200) }), FolderChoiceSchema, { host: true }),
  /** Open a web address in the system browser, if it is on Splitsend's allow-list. */
  'links.openExternal': request(z.object({ url: z.string().max(2048) }), z.boolean(), { host: true }),
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>
