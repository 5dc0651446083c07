import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, extname, isAbsolute, join, relative } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { ensurePrivateFolderSync } from '../files/private'

/**
 * Where Splitsend keeps its working data (prepared jobs, practice account). The desktop app and the
 * command use the same folder, so a job prepared in one can be uploaded from the other.
 * `SPLITSEND_DATA_DIR` overrides it (tests, portable installs).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.SPLITSEND_DATA_DIR) return env.SPLITSEND_DATA_DIR
  const home = homedir()
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Splitsend')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Splitsend')
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'Splitsend')
}

/** Where "Save prepared files…" puts copies when the host has no folder picker (the web bridge). */
export function defaultExportDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPLITSEND_EXPORT_DIR) return env.SPLITSEND_EXPORT_DIR
  const documents = join(homedir(), 'Documents')
  return join(existsSync(documents) ? documents : homedir(), 'Splitsend')
}

/**
 * `<dataDir>/jobs`, with it and the data folder made the owner's only: a folder an older Splitsend
 * made with the default permissions is narrowed too (the folders made later inside are created so).
 */
export function privateJobsFolder(dataDir: string): string {
  const jobsDir = join(dataDir, 'jobs')
  try {
    ensurePrivateFolderSync(dataDir)
    ensurePrivateFolderSync(jobsDir)
  } catch {
    // The app starts all the same (a folder that can't be made or narrowed, e.g. another user's):
    // whatever then writes there says so in plain words.
  }
  return jobsDir
}

/**
 * A file or folder as a message names it: inside Splitsend's data folder, by its place there
 * (“jobs/2026-06-01-…” in Splitsend’s data folder); below the folder the command runs in, relative
 * to it (as the person typed it); anything else by its full path. A message never shows where the
 * data folder is (it holds the person's account name) nor a long path the person never chose.
 */
export function shownPath(path: string, dataDir: string = defaultDataDir(), cwd: string = process.cwd()): string {
  const inData = below(dataDir, path)
  if (inData !== undefined) return `“${inData || '.'}” in Splitsend’s data folder`
  return `“${below(cwd, path) || path}”`
}

/** `path` relative to `folder` when it is inside it ('' for the folder itself), else undefined. */
function below(folder: string, path: string): string | undefined {
  const rel = relative(folder, path)
  return rel.startsWith('..') || isAbsolute(rel) ? undefined : rel
}

/**
 * A new job folder's name inside `<dataDir>/jobs`: when, from which file, and a few random letters so
 * two jobs of one file in the same second (the app and a scheduled routine run) never share a folder.
 */
export function newJobId(fileName: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:T]/g, '-').slice(0, 19)
  const slug =
    basename(fileName, extname(fileName))
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'spreadsheet'
  return `${stamp}-${slug}-${randomBytes(3).toString('hex')}`
}

/**
 * A prepared job's folder in the jobs folder; refuses, in the person's words, a job that isn't there
 * (or whose pass never finished): they prepare the file again.
 */
export function preparedJobDir(jobsDir: string, jobId: string): string {
  const dir = join(jobsDir, jobId)
  if (!existsSync(join(dir, 'summary.json')))
    throw new UserFacingError(
      'job_not_found',
      'Splitsend can’t find the prepared groups of this job any more.',
      'Open the spreadsheet again and prepare the groups, then upload them.',
    )
  return dir
}
