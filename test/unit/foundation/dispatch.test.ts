import { describe, expect, it, vi } from 'vitest'
import { dispatchRequest, type Handlers } from '../../../electron/services/contract-dispatch'
import { UserFacingError } from '../../../shared/errors'

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'app.info': () => ({ name: 'Splitsend', version: '1', host: 'web', platform: 'linux' }),
    'files.pick': () => null,
    'files.attachPath': () => ({ fileId: 'abcdefgh1234', name: 'a.csv', sizeBytes: 1 }),
    'prepare.inspect': () => {
      throw new UserFacingError('not_a_spreadsheet', 'That is a picture.', 'Save it as CSV.')
    },
    'links.openExternal': () => false,
    ...overrides,
  } as Handlers
}

describe('dispatchRequest', () => {
  const quiet = () => {}
  it('returns the handler’s value in an ok envelope', async () => {
    expect(await dispatchRequest(handlers(), 'app.info', undefined, quiet)).toEqual({
      ok: true,
      value: { name: 'Splitsend', version: '1', host: 'web', platform: 'linux' },
    })
  })
  it('rejects an unknown request', async () => {
    expect(await dispatchRequest(handlers(), 'files.delete', undefined, quiet)).toMatchObject({
      ok: false,
      error: { code: 'unknown_request' },
    })
    expect(await dispatchRequest(handlers(), '__proto__', undefined, quiet)).toMatchObject({
      ok: false,
      error: { code: 'unknown_request' },
    })
  })
  it('rejects invalid input without calling the handler', async () => {
    const attach = vi.fn()
    const result = await dispatchRequest(
      handlers({ 'files.attachPath': attach }),
      'files.attachPath',
      { path: '' },
      quiet,
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(attach).not.toHaveBeenCalled()
  })
  it('passes a plain-language error through with its hint', async () => {
    expect(await dispatchRequest(handlers(), 'prepare.inspect', { fileId: 'abcdefgh1234' }, quiet)).toEqual({
      ok: false,
      error: { code: 'not_a_spreadsheet', message: 'That is a picture.', hint: 'Save it as CSV.' },
    })
  })
  it('hides the details of unexpected errors', async () => {
    const result = await dispatchRequest(
      handlers({
        'app.info': () => {
          throw new Error('/secret/path exploded')
        },
      }),
      'app.info',
      undefined,
      quiet,
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected' } })
    expect(JSON.stringify(result)).not.toContain('/secret/path')
  })
  it('refuses a handler result that breaks the contract', async () => {
    const result = await dispatchRequest(
      handlers({ 'app.info': () => ({ name: 1 }) as never }),
      'app.info',
      undefined,
      quiet,
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected' } })
  })
})
