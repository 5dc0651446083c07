import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/** This test file's own folder under the OS temp folder, made on first use. */
let fileFolder: string | undefined

/**
 * A fresh folder for a test's files, inside its test file's own folder, so no test ever sees
 * another's files. Made inside a test (or its `beforeEach`), it is removed when that test ends;
 * made at file level or in `beforeAll`, or in a concurrent test, when the file ends (setup.ts).
 */
export function tempDir(prefix = 'tmp'): string {
  fileFolder ??= mkdtempSync(join(tmpdir(), 'splitsend-test-'))
  const dir = mkdtempSync(join(fileFolder, `${prefix}-`))
  try {
    // Among concurrent tests, the one this is attached to may not be the one that made the folder.
    onTestFinished(({ task }) => {
      if (!task.concurrent) rmSync(dir, { recursive: true, force: true })
    })
  } catch {
    // Not inside a test (vitest refuses the hook there): the folder goes with the file's folder.
  }
  return dir
}

/** Removes the file's folder and everything in it (after each test file; see setup.ts). */
export function removeFileFolder(): void {
  if (fileFolder) rmSync(fileFolder, { recursive: true, force: true })
  fileFolder = undefined
}
