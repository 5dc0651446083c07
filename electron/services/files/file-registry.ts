import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import type { AttachedFile } from '../../../shared/channels/app'
import { UserFacingError } from '../../../shared/errors'
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

  /** Stores uploaded bytes in a temporary file and registers it. `maxBytes` guards the disk. */
  async attachUpload(name: string, body: Readable, maxBytes: number): Promise<AttachedFile> {
    const dir = await (this.uploadDir ??= mkdtemp(join(tmpdir(), 'splitsend-upload-')))
    // Only the name, without any folders it was sent with.
    const safeName = safeFileName(name.split(/[\\/]/).pop() ?? '')
    const id = newFileId()
    // A folder per upload keeps the person's own file name, which every message then shows.
    await mkdir(join(dir, id), { mode: PRIVATE_FOLDER_MODE })
    const path = join(dir, id, safeName)
    let received = 0
    body.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBytes)
        body.destroy(
          new UserFacingError(
            'file_too_large',
            `“${safeName}” is larger than Splitsend accepts through the browser.`,
            'Use the desktop app for files this large.',
          ),
        )
    })
    await pipeline(body, createWriteStream(path, { mode: PRIVATE_FILE_MODE }))
    return this.register(path, safeName, received, id)
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
    this.files.clear()
    if (dir) await rm(await dir, { recursive: true, force: true })
  }

  private register(path: string, name: string, sizeBytes: number, fileId = newFileId()): AttachedFile {
    const file: RegisteredFile = { fileId, name, sizeBytes, path }
    this.files.set(fileId, file)
    return { fileId, name, sizeBytes }
  }
}

function newFileId(): string {
  return randomBytes(12).toString('base64url')
}
