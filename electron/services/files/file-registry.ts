import { randomBytes } from 'node:crypto'
import { createWriteStream, lstatSync, readdirSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { AttachedFile } from '../../../shared/channels/app'
import { UserFacingError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/sizes'
import { safeFileName } from './file-names'
import { PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE } from './private'

interface RegisteredFile extends AttachedFile {
  path: string
}

/**
 * The files the person has given Splitsend. The renderer only ever holds a `fileId`; the path
 * stays here. Files received as bytes (web bridge) are written to a private temporary folder first,
 * so every service always works from a path on disk.
 */
export class FileRegistry {
  private readonly files = new Map<string, RegisteredFile>()
  private uploadDir: Promise<string> | undefined
  private uploadDirPath: string | undefined

  /** `tempRoot`: where the private upload folder goes (the OS temp folder). */
  constructor(private readonly tempRoot = tmpdir()) {}

  async attachPath(path: string): Promise<AttachedFile> {
    let info
    try {
      info = await stat(path)
    } catch {
      throw new UserFacingError(
        'file_not_found',
        `Splitsend could not open “${basename(path)}”: the file is not there any more.`,
        'Check that the file still exists, then drop or open it again.',
      )
    }
    if (!info.isFile()) {
      throw new UserFacingError(
        'not_a_file',
        `“${basename(path)}” is a folder, not a spreadsheet file.`,
        'Open the folder and choose the spreadsheet file inside it.',
      )
    }
    return this.register(path, basename(path), info.size)
  }

  /**
   * Stores uploaded bytes in a temporary file and registers it. A body larger than `maxBytes`
   * (declared, or found so while it arrives) is refused with `file_too_large`; it and a body that
   * breaks off leave no partial file behind. The body itself is never destroyed here, so the web
   * bridge can still answer on its connection (the rest of a refused body is read and dropped).
   */
  async attachUpload(name: string, body: Readable, maxBytes: number, declaredBytes?: number): Promise<AttachedFile> {
    // Only the name, without any folders it was sent with.
    const safeName = safeFileName(name.split(/[\\/]/).pop() ?? '')
    if (declaredBytes !== undefined && declaredBytes > maxBytes) {
      body.resume()
      throw fileTooLarge(safeName, maxBytes)
    }
    // A folder per upload keeps the person's own file name, which every message then shows.
    const folder = await this.newPrivateFolder()
    const path = join(folder, safeName)
    let received = 0
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length
        done(received > maxBytes ? fileTooLarge(safeName, maxBytes) : null, chunk)
      },
    })
    const broken = (error?: Error) => counter.destroy(error ?? uploadBrokenOff(safeName))
    body.once('error', broken)
    // A body whose connection closed before its end (the page was closed or reloaded mid-upload).
    body.once('close', () => {
      if (!body.readableEnded) broken()
    })
    body.pipe(counter)
    try {
      await pipeline(counter, createWriteStream(path, { mode: PRIVATE_FILE_MODE }))
    } catch (error) {
      body.unpipe(counter)
      body.resume()
      await rm(folder, { recursive: true, force: true })
      throw error
    } finally {
      body.off('error', broken)
    }
    return this.register(path, safeName, received, basename(folder))
  }

  get(fileId: string): RegisteredFile {
    const file = this.files.get(fileId)
    if (!file) {
      throw new UserFacingError(
        'file_forgotten',
        'Splitsend no longer has that file open.',
        'Drop or open the spreadsheet again.',
      )
    }
    return file
  }

  /** Removes every temporary copy made from uploads. */
  async dispose(): Promise<void> {
    const dir = this.uploadDir
    this.uploadDir = undefined
    this.uploadDirPath = undefined
    this.files.clear()
    if (dir) await rm(await dir, { recursive: true, force: true })
  }

  /**
   * The same, at once, for a process that is exiting (`process.on('exit')` runs no asynchronous
   * work). Uploads still arriving fail with the folder gone.
   */
  disposeNow(): void {
    if (this.uploadDirPath) rmSync(this.uploadDirPath, { recursive: true, force: true })
    this.uploadDir = undefined
    this.uploadDirPath = undefined
    this.files.clear()
  }

  /** A new private folder inside this process's upload folder (gone with it), for files made to be downloaded. */
  async newPrivateFolder(): Promise<string> {
    const folder = join(await this.uploadFolder(), newFileId())
    await mkdir(folder, { mode: PRIVATE_FOLDER_MODE })
    return folder
  }

  /** The private folder for this process's uploads, made on first use (named with the process ID, see {@link removeStaleUploadFolders}). */
  private uploadFolder(): Promise<string> {
    this.uploadDir ??= mkdtemp(join(this.tempRoot, `${UPLOAD_FOLDER_PREFIX}${process.pid}-`)).then((dir) => {
      this.uploadDirPath = dir
      return dir
    })
    return this.uploadDir
  }

  private register(path: string, name: string, sizeBytes: number, fileId = newFileId()): AttachedFile {
    const file: RegisteredFile = { fileId, name, sizeBytes, path }
    this.files.set(fileId, file)
    return { fileId, name, sizeBytes }
  }
}

/** Upload folders are `<temp>/splitsend-upload-<process ID>-<random>`, 0700. */
const UPLOAD_FOLDER_PREFIX = 'splitsend-upload-'

/**
 * Removes upload folders left by Splitsend processes that no longer run (killed with no chance to
 * clean up, or a power cut): this user's only, each named with its process's ID.
 */
export function removeStaleUploadFolders(tempRoot = tmpdir()): string[] {
  const removed: string[] = []
  let names: string[]
  try {
    names = readdirSync(tempRoot)
  } catch {
    return removed
  }
  for (const name of names) {
    const pid = Number(/^splitsend-upload-(\d+)-/.exec(name)?.[1])
    if (!pid || pid === process.pid || processRuns(pid)) continue
    const path = join(tempRoot, name)
    try {
      const info = lstatSync(path)
      if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue
      rmSync(path, { recursive: true, force: true })
      removed.push(path)
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function fileTooLarge(name: string, maxBytes: number): UserFacingError {
  return new UserFacingError(
    'file_too_large',
    `“${name}” is larger than Splitsend accepts through the browser (${formatBytes(maxBytes)}).`,
    'Open it in the desktop app (npm start), which reads files of any size from where they are.',
  )
}

function uploadBrokenOff(name: string): UserFacingError {
  return new UserFacingError(
    'upload_interrupted',
    `“${name}” did not arrive completely: the page was closed or lost its connection while sending it.`,
    'Drop or open the file again.',
  )
}

function newFileId(): string {
  return randomBytes(12).toString('base64url')
}
