import { describe, expect, it } from 'vitest'
import { isTrustedSender, originOf } from '../../../electron/main/sender-guard'

const trusted = ['splitsend://app']
const topFrame = { frameUrl: 'splitsend://app/index.html', isTopFrame: true, isAppWindow: true }

describe('the IPC sender guard', () => {
  it('trusts the top frame of an app window on the app origin', () => {
    expect(isTrustedSender(topFrame, trusted)).toBe(true)
  })
  it('rejects a sub-frame, even on the app origin', () => {
    expect(isTrustedSender({ ...topFrame, isTopFrame: false }, trusted)).toBe(false)
  })
  it('rejects a window the app did not create', () => {
    expect(isTrustedSender({ ...topFrame, isAppWindow: false }, trusted)).toBe(false)
  })
  it.each([
    'https://evil.example/index.html',
    'splitsend://app.evil.example/index.html',
    'splitsend://evil/index.html',
    'file:///app/out/renderer/index.html',
    'about:blank',
    '',
    'not a url',
  ])('rejects a frame showing %s', (frameUrl) => {
    expect(isTrustedSender({ ...topFrame, frameUrl }, trusted)).toBe(false)
  })
  it('compares whole origins, including the port of a development server', () => {
    expect(isTrustedSender({ ...topFrame, frameUrl: 'http://localhost:5173/' }, ['http://localhost:5173'])).toBe(true)
    expect(isTrustedSender({ ...topFrame, frameUrl: 'http://localhost:5174/' }, ['http://localhost:5173'])).toBe(false)
    expect(originOf('splitsend://app/index.html')).toBe('splitsend://app')
  })
})
