import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, type TestContext } from 'vitest'
import { runCommand } from '../cli-run'
import { toErrorData } from '../../../shared/errors'
import { createAppServices } from '../../../electron/services/app-services'
import { dispatchRequest, type Handlers } from '../../../electron/services/contract-dispatch'
import { planUpload } from '../../../electron/services/upload/index'
import { connectedAccount, closeAfterEach } from '../constant-contact/helpers'
import { preparedJob, tempDir, upload } from '../upload/helpers'

const closeLater = closeAfterEach()

const run = runCommand

/**
 * Makes `dir` a folder nothing can be written in: without write permission, or (the tests may run as
 * root, whom permissions don't stop) immutable. Skips the test where neither is possible.
 */
function readOnly(dir: string, t: TestContext): void {
  if (process.platform === 'win32') t.skip()
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o500)
    closeLater(() => chmodSync(dir, 0o700))
    return
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' })
  } catch {
    t.skip()
  }
  closeLater(() => void execFileSync('chattr', ['-i', dir]))
}

const CSV = 'Email,Flag\nann@example.com,1\nbob@example.com,0\n'

function sourceFile(): string {
  const path = join(tempDir('source'), 'contacts.csv')
  writeFileSync(path, CSV)
  return path
}

/** The app's services on `dataDir` (then `beforeRun`) preparing a small file, as the renderer asks. */
async function prepareInApp(dataDir: string, beforeRun?: () => void) {
  const services = createAppServices({ host: 'web', version: '1', dataDir, emit: () => {} })
  closeLater(() => services.dispose())
  beforeRun?.()
  const { fileId } = await services.files.attachPath(sourceFile())
  const input = {
    fileId,
    runId: 'run-0123456789',
    options: { headerRow: 1, mapping: { emailColumn: 0, flagColumn: 1, fields: [] } },
  }
  return dispatchRequest(services.handlers as unknown as Handlers, 'prepare.run', input, () => {})
}

describe('a folder that can’t be written and a full disk', () => {
  it('are told by Node’s error code; a refusal that names no file is not a folder’s', () => {
    const fail = (code: string, more: object = {}) => toErrorData(Object.assign(new Error(code), { code, ...more }))
    expect(fail('ENOSPC', { syscall: 'write' })).toMatchObject({ code: 'disk_full' })
    expect(fail('EDQUOT')).toMatchObject({ code: 'disk_full' })
    expect(fail('EACCES', { syscall: 'open', path: '/home/ann/Documents/June/group-0.csv' })).toMatchObject({
      code: 'folder_not_writable',
      message: 'Splitsend is not allowed to write in the folder “Documents/June”.',
    })
    expect(fail('EROFS', { syscall: 'chmod', path: 'C:\\Users\\ann\\June' }).message).toContain('“ann/June”')
    // process.kill of another user's process, a port below 1024: not about folders.
    expect(fail('EPERM', { syscall: 'kill' })).toMatchObject({ code: 'unexpected' })
    expect(fail('EACCES', { syscall: 'listen', address: '127.0.0.1', port: 80 })).toMatchObject({ code: 'unexpected' })
  })

  it('prepare into a read-only folder: the folder named, plainly, and not by its full path', async (t) => {
    const parent = join(tempDir('out'), 'Locked')
    mkdirSync(parent)
    readOnly(parent, t)
    const result = await run('prepare', sourceFile(), '--out', join(parent, 'june'))
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/Splitsend is not allowed to write in the folder “out-\w+\/Locked”\./)
    expect(result.stderr).toMatch(/read-only or belongs to another user/)
    expect(result.stderr).not.toContain(parent)
  })

  it.runIf(process.platform === 'linux')(
    'prepare on a full disk: says so, and leaves no half-written or temporary files',
    async () => {
      const out = tempDir('full')
      // A file the pass writes that lands on a device that is always full.
      symlinkSync('/dev/full', join(out, 'group-0.csv'))
      const result = await run('prepare', sourceFile(), '--out', out)
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('The disk is full, so Splitsend could not finish writing its files.')
      expect(result.stderr).toContain('Make some room on the disk')
      expect(readdirSync(out)).toEqual([])
    },
  )

  it('the app preparing with a read-only data folder gets the same message, over the contract', async (t) => {
    const dataDir = tempDir('data')
    const envelope = await prepareInApp(dataDir, () => readOnly(join(dataDir, 'jobs'), t))
    expect(envelope).toMatchObject({ ok: false, error: { code: 'folder_not_writable' } })
    const message = (envelope as { error: { message: string } }).error.message
    expect(message).toMatch(/^Splitsend is not allowed to write in the folder “data-\w+\/jobs”\.$/)
  })

  it('the app starts with a data folder it can’t make, and says why when it needs it', async (t) => {
    const home = tempDir('home')
    readOnly(home, t)
    const envelope = await prepareInApp(join(home, 'Splitsend'))
    expect(envelope).toMatchObject({ ok: false, error: { code: 'folder_not_writable' } })
  })

  it('an upload from a job folder that can’t be written stops before sending, plainly, and leaves no lock', async (t) => {
    const ctx = await connectedAccount({ speed: 'instant', seed: 'practice' })
    closeLater(ctx.close)
    const client = await ctx.account.client()
    const job = await preparedJob({ group0: 2, group1: 2, tag: 'readonly' })
    const plan = await planUpload(job.dir, client, {
      lists: { '0': { kind: 'name', name: 'RO 0' }, '1': { kind: 'name', name: 'RO 1' } },
      createLists: true,
      createCustomFields: false,
    })
    const before = readdirSync(job.dir).sort()
    readOnly(job.dir, t)
    const imports = () => ctx.sim.control.requests().filter((r) => r.path === '/activities/contacts_json_import')
    let failure: unknown
    try {
      const result = await upload(job.dir, client, { plan }).done
      failure = result.error
    } catch (error) {
      failure = error
    }
    expect(JSON.stringify(failure)).toMatch(/Splitsend is not allowed to write in the folder/)
    expect(imports()).toHaveLength(0)
    expect(readdirSync(job.dir).sort()).toEqual(before)
    expect(existsSync(join(job.dir, 'upload.lock'))).toBe(false)
  })
})
