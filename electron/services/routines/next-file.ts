/**
 * Where next month's file comes from: the routine's folder and file-name pattern.
 *
 *   findNextFile({ folder, pattern }, runs, hash?)  → NextFile   the newest matching file not yet run successfully, or why there is none
 *                                                               (`hash`: how to hash a file; the app's is in a worker)
 *   successfulRunOf(runs, sha256)            → RunRecord?   (shared/routines/history.ts) was this exact content already run successfully
 *   hashFile(path)                           → sha256 hex   streamed, so a large workbook costs no memory
 *   matchesPattern(fileName, pattern)        → boolean
 *
 * The pattern is what a person writes in a file dialog: `*` any characters, `?` one character,
 * everything else literal (so "Report [final].xlsx" matches itself). It ignores case on every
 * system — Windows and macOS do anyway, and a Linux folder of monthly exports is not where two files
 * differ only in case. "Newest" is the latest modification time (the name breaks ties, so the
 * answer never depends on the order the folder lists its files). A file is compared with the history
 * by its content's SHA-256, so a renamed copy of last month's file is not taken for a new one.
 */
import { createHash } from 'node:crypto'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { successfulRunOf, type RunRecord } from '../../../shared/routines/history'
import { filePieces } from '../files/file-pieces'

export type NextFile =
  | {
      kind: 'found'
      path: string
      fileName: string
      modifiedAt: string
      sizeBytes: number
      sha256: string
      /** Newer matching files passed over because their content was already run successfully. */
      alreadyRun: Array<{ fileName: string; runStartedAt: string }>
    }
  | {
      kind: 'none'
      reason: 'folder_missing' | 'no_match' | 'all_run'
      /** Plain words: what was looked for, where, and what to do. */
      message: string
    }

export async function findNextFile(
  source: { folder: string; pattern: string },
  runs: readonly RunRecord[],
  hash: (path: string) => Promise<string> = hashFile,
): Promise<NextFile> {
  const candidates = await matchingFiles(source.folder, source.pattern)
  if (candidates === 'folder_missing')
    return {
      kind: 'none',
      reason: 'folder_missing',
      message: `The folder “${source.folder}” can't be found. Check that it exists (and that a network drive is connected), or change the routine's folder.`,
    }
  if (candidates.length === 0)
    return {
      kind: 'none',
      reason: 'no_match',
      message: `No file in “${source.folder}” matches “${source.pattern}”. Put this month's file there, or change the routine's file pattern.`,
    }
  const alreadyRun: Array<{ fileName: string; runStartedAt: string }> = []
  for (const file of candidates) {
    const sha256 = await hash(file.path)
    const earlier = successfulRunOf(runs, sha256)
    if (!earlier) return { kind: 'found', ...file, sha256, alreadyRun }
    alreadyRun.push({ fileName: file.fileName, runStartedAt: earlier.startedAt })
  }
  const newest = alreadyRun[0]!
  return {
    kind: 'none',
    reason: 'all_run',
    message: `Every file in “${source.folder}” matching “${source.pattern}” has already been run; the newest, “${newest.fileName}”, ran on ${newest.runStartedAt.slice(0, 10)}. Put this month's file there first.`,
  }
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const piece of filePieces(path)) hash.update(piece)
  return hash.digest('hex')
}

export function matchesPattern(fileName: string, pattern: string): boolean {
  return patternRegExp(pattern).test(fileName.normalize('NFC'))
}

function patternRegExp(pattern: string): RegExp {
  const body = [...pattern.normalize('NFC')]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`, 'isu')
}

/** Matching plain files, newest first; Excel's "~$" owner files and hidden files are never candidates. */
async function matchingFiles(
  folder: string,
  pattern: string,
): Promise<Array<{ path: string; fileName: string; modifiedAt: string; sizeBytes: number }> | 'folder_missing'> {
  let names: string[]
  try {
    names = await readdir(folder)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'folder_missing'
    throw error
  }
  const regExp = patternRegExp(pattern)
  const files = []
  for (const fileName of names) {
    if (fileName.startsWith('~$') || fileName.startsWith('.') || !regExp.test(fileName.normalize('NFC'))) continue
    const path = join(folder, fileName)
    const info = await stat(path).catch(() => undefined)
    if (!info?.isFile()) continue
    files.push({ path, fileName, mtimeMs: info.mtimeMs, modifiedAt: info.mtime.toISOString(), sizeBytes: info.size })
  }
  files.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.fileName < b.fileName ? 1 : a.fileName > b.fileName ? -1 : 0))
  return files.map(({ mtimeMs: _mtime, ...file }) => file)
}
