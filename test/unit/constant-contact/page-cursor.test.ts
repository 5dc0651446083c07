import { describe, expect, it } from 'vitest'
import { pageLinks, pageQuery, SimHttpError } from '../../../electron/services/cc-simulator/http-util'

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const urlWith = (cursor: string) => new URL(`http://127.0.0.1/v3/contacts?cursor=${cursor}`)

describe('the local Constant Contact’s page cursors', () => {
  it('continue the query they were made for, from where the page ended', () => {
    const next = pageLinks('/contacts', new URLSearchParams({ status: 'all', limit: '2' }), 0, 2, 10).next!
    const { query, offset } = pageQuery(new URL(next.href, 'http://127.0.0.1'))
    expect(offset).toBe(2)
    expect(Object.fromEntries(query)).toEqual({ status: 'all', limit: '2' })
  })

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a place before the first item', cursorOf({ o: -10, q: {} })],
    ['a place between two items', cursorOf({ o: 1.5, q: {} })],
    ['no query', cursorOf({ o: 2, q: null })],
    ['a query value that is not text', cursorOf({ o: 2, q: { limit: { many: 1 } } })],
    ['a query that is a list', cursorOf({ o: 2, q: [['limit', '5']] })],
  ])('are refused with a 400 when the client sends %s', (_, cursor) => {
    let thrown: unknown
    try {
      pageQuery(urlWith(cursor))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(SimHttpError)
    expect(thrown).toMatchObject({ status: 400, errorKey: 'api.cursor.invalid' })
  })
})
