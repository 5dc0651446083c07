import { describe, expect, it, vi } from 'vitest'
import {
  eventChannel,
  hostRequestNames,
  requestChannel,
  requestNames,
  type RequestInput,
  type RequestName,
} from '../../../shared/contract'
import { createPreloadBridge, type PreloadIpc } from '../../../electron/preload/bridge'
import { createAppServices } from '../../../electron/services/app-services'
import { dispatchRequest, type Handlers } from '../../../electron/services/contract-dispatch'
import { tempDir } from '../temp'

function recordingIpc() {
  const invoked: Array<{ channel: string; args: unknown[] }> = []
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>()
  const ipc: PreloadIpc = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args })
      return { ok: true, value: channel }
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  }
  const push = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'secret' }, payload)
  }
  return { ipc, invoked, listeners, push }
}

/** A valid input for every request (the type makes a new request add its own). */
const SAMPLE_INPUTS: { [N in RequestName]: RequestInput<N> } = {
  'app.info': undefined,
  'files.pick': undefined,
  'files.attachPath': { path: '/home/me/contacts.csv' },
  'dialog.chooseFolder': { title: 'Where to save' },
  'links.openExternal': { url: 'https://www.constantcontact.com/' },
  'prepare.inspect': { fileId: 'file-1234567' },
  'prepare.run': {
    fileId: 'file-1234567',
    runId: 'run-1234567',
    options: { mapping: { emailColumn: 0, flagColumn: 1, fields: [] } },
  },
  'prepare.cancel': { runId: 'run-1234567' },
  'prepare.page': { jobId: 'job-1', query: { kind: 'group0', offset: 0, limit: 10 } },
  'prepare.save': { jobId: 'job-1', folder: null },
  'jobs.list': undefined,
  'jobs.get': { jobId: 'job-1' },
  'jobs.choices': { jobId: 'job-1' },
  'jobs.remove': { jobId: 'job-1', deleteReport: false },
  'prepare.download': { jobId: 'job-1', file: 'group0' },
  'prepare.lastChoices': { columns: ['Email', 'Flag'] },
  'account.status': undefined,
  'account.apiKey': undefined,
  'account.saveApiKey': { apiKey: 'key' },
  'account.setRedirect': { host: 'localhost', port: 47611 },
  'account.connect': { mode: 'browser', practice: true },
  'account.cancelConnect': undefined,
  'account.disconnect': undefined,
  'account.resetPractice': undefined,
  'upload.lists': undefined,
  'upload.plan': {
    jobId: 'job-1',
    choices: { lists: { '0': { kind: 'skip' }, '1': { kind: 'skip' } }, createLists: false, createCustomFields: false },
  },
  'upload.start': { jobId: 'job-1', start: { planId: 'plan-1234567' } },
  'upload.pause': { jobId: 'job-1' },
  'upload.continue': { jobId: 'job-1' },
  'upload.cancel': { jobId: 'job-1' },
  'upload.status': { jobId: 'job-1' },
  'report.model': { jobId: 'job-1' },
  'report.files': { jobId: 'job-1' },
  'report.download': { jobId: 'job-1', file: 'csv' },
  'report.open': { jobId: 'job-1', file: 'html' },
  'report.save': { jobId: 'job-1', file: 'csv' },
  'report.savePdf': { jobId: 'job-1' },
  'send.job': { jobId: 'job-1' },
  'send.campaigns': {},
  'send.campaign': { campaignId: 'campaign-1' },
  'send.preflight': { jobId: 'job-1', group: '0', campaignId: 'campaign-1' },
  'send.test': { campaignId: 'campaign-1', addresses: 'me@example.com' },
  'send.send': { jobId: 'job-1', group: '1', campaignId: 'campaign-1', when: 'now' },
  'send.copy': { jobId: 'job-1', group: '0', campaignId: 'campaign-1' },
  'send.resolve': { jobId: 'job-1', group: '0', answer: 'not_sent' },
  'send.unschedule': { jobId: 'job-1', group: '0' },
  'send.state': { jobId: 'job-1' },
  'send.moveBothNow': { jobId: 'job-1' },
  'send.sendAnyway': { jobId: 'job-1', checkedAt: '2024-05-01T10:00:00.000Z' },
  'routines.list': undefined,
  'routines.show': { name: 'Monthly mailing' },
  'routines.save': { name: 'Monthly mailing', jobId: 'job-1', replace: false },
  'routines.check': { name: 'Monthly mailing', fileId: 'file-1234567' },
  'routines.safety': { name: 'Monthly mailing', jobId: 'job-1' },
  'routines.recordRun': { name: 'Monthly mailing', jobId: 'job-1' },
  'routines.openNextFile': { name: 'Monthly mailing' },
  'routines.update': { name: 'Monthly mailing', source: null },
  'routines.delete': { name: 'Monthly mailing' },
  'routines.send': { name: 'Monthly mailing', jobId: 'job-1234567', group: '0', campaignId: 'campaign-1', when: 'now' },
  'routines.setSchedule': { name: 'Monthly mailing', schedule: { every: 'month', day: 3, at: '08:00' } },
}

/** Handlers for every request that each return `value` and count their calls. */
function handlersReturning(value: unknown): { handlers: Handlers; calls: Map<string, unknown[]> } {
  const calls = new Map<string, unknown[]>()
  const handlers = Object.fromEntries(
    requestNames.map((name) => [
      name,
      (input: unknown) => {
        calls.set(name, [...(calls.get(name) ?? []), input])
        return value
      },
    ]),
  ) as unknown as Handlers
  return { handlers, calls }
}

const quiet = () => {}

describe('the contract', () => {
  it('is served by the shared services for every request that is not the host’s own', () => {
    const services = createAppServices({ host: 'web', version: '1', dataDir: tempDir('data'), emit: () => {} })
    const served = Object.keys(services.handlers).sort()
    const expected = requestNames.filter((name) => !hostRequestNames.includes(name as never)).sort()
    expect(served).toEqual(expected)
  })

  it('passes every request’s valid input to its handler, and refuses every output the contract does not describe', async () => {
    const { handlers, calls } = handlersReturning(Symbol('not data'))
    for (const name of requestNames) {
      const answer = await dispatchRequest(handlers, name, SAMPLE_INPUTS[name], quiet)
      expect(answer, name).toMatchObject({ ok: false, error: { code: 'unexpected' } })
      expect(calls.get(name), name).toHaveLength(1)
    }
  })

  const idFields = ['jobId', 'fileId', 'runId', 'campaignId'] as const
  const withIds = requestNames.flatMap((name) => {
    const input = SAMPLE_INPUTS[name] as Record<string, unknown> | undefined
    return idFields.filter((field) => input && field in input).map((field) => ({ name, field }))
  })

  it('refuses, in every request, an ID that could lead out of its folder', async () => {
    expect(withIds.filter((r) => r.field === 'jobId').length).toBeGreaterThan(10)
    const { handlers, calls } = handlersReturning(null)
    for (const { name, field } of withIds) {
      for (const bad of ['.', '..', '../job-1', 'job-1/..', 'a/b', 'a\\b', '', 'x'.repeat(121)]) {
        const input = { ...(SAMPLE_INPUTS[name] as object), [field]: bad }
        const answer = await dispatchRequest(handlers, name, input, quiet)
        expect(answer, `${name} ${field}=${bad}`).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
      }
    }
    expect(calls.size).toBe(0)
  })

  it('takes the job IDs Splitsend makes, dots included', async () => {
    const { handlers, calls } = handlersReturning(null)
    for (const jobId of ['2024-05-01-09-30-00-contacts-a1b2c3', 'contacts.v2', '..job', 'job..']) {
      await dispatchRequest(handlers, 'report.files', { jobId }, quiet)
    }
    expect(calls.get('report.files')).toHaveLength(4)
  })
})

describe('the preload bridge', () => {
  it('exposes exactly one function per request, each invoking its own channel', async () => {
    const { ipc, invoked } = recordingIpc()
    const bridge = createPreloadBridge(ipc, () => '')
    expect(Object.keys(bridge.request).sort()).toEqual([...requestNames].sort())
    for (const name of requestNames) {
      await (bridge.request[name] as (input: unknown) => Promise<unknown>)({ probe: name })
    }
    expect(invoked).toEqual(requestNames.map((name) => ({ channel: requestChannel(name), args: [{ probe: name }] })))
  })

  it('exposes nothing but requests, subscribe and attachFile (no raw ipcRenderer)', () => {
    const bridge = createPreloadBridge(recordingIpc().ipc, () => '')
    expect(Object.keys(bridge).sort()).toEqual(['attachFile', 'request', 'subscribe'])
  })

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const { ipc, push, listeners } = recordingIpc()
    const bridge = createPreloadBridge(ipc, () => '')
    const received = vi.fn()
    const unsubscribe = bridge.subscribe('account.signIn', received)
    const payload = { kind: 'browser', url: 'https://authz.constantcontact.com/' }
    push(eventChannel('account.signIn'), payload)
    expect(received).toHaveBeenCalledWith(payload)
    expect(received.mock.calls[0]).toHaveLength(1)
    unsubscribe()
    push(eventChannel('account.signIn'), payload)
    expect(received).toHaveBeenCalledTimes(1)
    expect(listeners.get(eventChannel('account.signIn'))?.size).toBe(0)
  })

  it('refuses to subscribe to an event that is not in the contract', () => {
    const bridge = createPreloadBridge(recordingIpc().ipc, () => '')
    expect(() => bridge.subscribe('not.an.event' as never, () => {})).toThrow(/Unknown event/)
  })

  it('turns a dropped file into its path on disk and attaches it', async () => {
    const { ipc, invoked } = recordingIpc()
    const bridge = createPreloadBridge(ipc, () => '/home/me/contacts.csv')
    await bridge.attachFile({ name: 'contacts.csv', size: 1 } as File)
    expect(invoked).toEqual([
      { channel: requestChannel('files.attachPath'), args: [{ path: '/home/me/contacts.csv' }] },
    ])
  })

  it('is what the preload entry exposes in the main world', async () => {
    const exposed = new Map<string, unknown>()
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: recordingIpc().ipc,
      webUtils: { getPathForFile: () => '' },
    }))
    await import('../../../electron/preload/index')
    const bridge = exposed.get('splitsend') as { request: Record<string, unknown> }
    expect(Object.keys(bridge.request).sort()).toEqual([...requestNames].sort())
    vi.doUnmock('electron')
  })
})
