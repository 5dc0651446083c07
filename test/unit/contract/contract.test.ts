import { describe, expect, it, vi } from 'vitest'
import {
  eventChannel,
  eventNames,
  events,
  hostRequestNames,
  requestChannel,
  requestNames,
  requests,
} from '../../../shared/contract'
import { createPreloadBridge, type PreloadIpc } from '../../../electron/preload/bridge'
import { createAppServices } from '../../../electron/services/app-services'

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

describe('the contract', () => {
  it('declares a schema for every request input, output and event', () => {
    expect(requestNames.length).toBeGreaterThan(0)
    for (const name of requestNames) {
      expect(typeof requests[name].input.safeParse).toBe('function')
      expect(typeof requests[name].output.safeParse).toBe('function')
    }
    for (const name of eventNames) expect(typeof events[name].safeParse).toBe('function')
  })

  it('gives every request and event its own prefixed channel', () => {
    const channels = [...requestNames.map(requestChannel), ...eventNames.map(eventChannel)]
    expect(new Set(channels).size).toBe(channels.length)
    for (const channel of channels) expect(channel.startsWith('splitsend:')).toBe(true)
  })

  it('is served by the shared services for every request that is not the host’s own', () => {
    const services = createAppServices({ host: 'web', version: '1', emit: () => {} })
    const served = Object.keys(services.handlers).sort()
    const expected = requestNames.filter((name) => !hostRequestNames.includes(name as never)).sort()
    expect(served).toEqual(expected)
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
