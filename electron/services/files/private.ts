/**
 * Splitsend's data folder, its job folders and the files in them hold people's addresses: they are
 * the owner's only (0700 folders, 0600 files), like the upload temp files, so another account on a
 * shared computer can't read them. (Windows gives a user's folders to the user already; the modes
 * are not used there.)
 */
import { chmodSync, mkdirSync } from 'node:fs'
import { chmod, mkdir } from 'node:fs/promises'

export const PRIVATE_FILE_MODE = 0o600
export const PRIVATE_FOLDER_MODE = 0o700

/** Creates `folder` and any missing parent owner-only; an existing folder is made owner-only too. */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE })
  // mkdir leaves an existing folder's mode alone (and the umask may have narrowed it): set it.
  if (process.platform !== 'win32') await chmod(folder, PRIVATE_FOLDER_MODE)
}

/** {@link ensurePrivateFolder}, blocking (worker threads, the start of the app). */
export function ensurePrivateFolderSync(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE })
  if (process.platform !== 'win32') chmodSync(folder, PRIVATE_FOLDER_MODE)
}
