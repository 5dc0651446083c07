import { z } from 'zod'

/**
 * An error meant for the person using Splitsend: `message` says what is wrong in plain words,
 * `hint` what to do about it. It crosses the contract as plain data ({@link ContractErrorData}),
 * so both transports and the command line show it the same way.
 */
export const ContractErrorDataSchema = z.object({
  /** A stable machine-readable code, e.g. `not_a_spreadsheet`, `keychain_unavailable`. */
  code: z.string(),
  /** What is wrong, in words a non-technical person understands. */
  message: z.string(),
  /** What the person can do about it. */
  hint: z.string().optional(),
})
export type ContractErrorData = z.infer<typeof ContractErrorDataSchema>

export class UserFacingError extends Error implements ContractErrorData {
  readonly code: string
  readonly hint?: string

  constructor(code: string, message: string, hint?: string) {
    super(message)
    this.name = 'UserFacingError'
    this.code = code
    if (hint !== undefined) this.hint = hint
  }

  toData(): ContractErrorData {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint }
  }
}

/** Turns anything thrown into data that is safe to show: unexpected errors keep no internals. */
export function toErrorData(error: unknown): ContractErrorData {
  if (error instanceof UserFacingError) return error.toData()
  const fileSystem = fileSystemErrorData(error)
  if (fileSystem) return fileSystem
  return {
    code: 'unexpected',
    message: 'Something went wrong inside Splitsend.',
    hint: 'Try again. If it keeps happening, restart Splitsend; your files are not changed.',
  }
}

/**
 * The file-system failures a person can do something about (a full disk, a read-only folder), in
 * plain words wherever they happen: preparing, uploading, sending, writing a report. The place is
 * named by its last two folders, never by its full path (a message may be shown, copied or
 * reported; the path would tell where the person keeps their files and their account name).
 */
function fileSystemErrorData(error: unknown): ContractErrorData | undefined {
  const { code, path, syscall } = (error ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown }
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return {
      code: 'disk_full',
      message: 'The disk is full, so Splitsend could not finish writing its files.',
      hint: 'Make some room on the disk (empty the trash, remove files you no longer need), then try again.',
    }
  // Only a refusal naming a file or folder: an EPERM of another kind (a process, a socket) is not one.
  if ((code === 'EACCES' || code === 'EPERM' || code === 'EROFS') && typeof path === 'string')
    return {
      code: 'folder_not_writable',
      message: `Splitsend is not allowed to write in the folder “${placeOf(path, typeof syscall === 'string' ? syscall : '')}”.`,
      hint: 'The folder is read-only or belongs to another user. Choose another folder, or ask whoever looks after this computer to let you change it.',
    }
  return undefined
}

/** Calls that make or remove an entry in a folder: a refusal there is the folder's. */
const ENTRY_CALLS = new Set(['open', 'mkdir', 'rename', 'unlink', 'rmdir', 'copyfile', 'link', 'symlink'])

/** The folder a failed call was refused in, by its last two names ("jobs/2026-…", "Documents/June"). */
function placeOf(path: string, syscall: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean)
  const folder = ENTRY_CALLS.has(syscall) ? parts.slice(0, -1) : parts
  return folder.slice(-2).join('/') || path
}
