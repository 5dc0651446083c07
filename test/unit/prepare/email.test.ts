import { describe, expect, it } from 'vitest'
import { checkEmail, trimCell } from '../../../shared/prepare/email'

describe('checkEmail', () => {
  it('accepts ordinary addresses and lower-cases them', () => {
    expect(checkEmail('Anna.Smith@Example.COM')).toEqual({ kind: 'valid', address: 'anna.smith@example.com' })
    expect(checkEmail("o'brien+news@mail.example.co.uk")).toMatchObject({
      kind: 'valid',
      address: "o'brien+news@mail.example.co.uk",
    })
  })

  it('trims ordinary, non-breaking and zero-width spaces', () => {
    expect(checkEmail('  bob@example.com\t')).toMatchObject({ kind: 'valid', address: 'bob@example.com' })
    expect(checkEmail('\u00a0bob@example.com\u200b')).toMatchObject({ kind: 'valid', address: 'bob@example.com' })
    expect(checkEmail('\ufeffbob@example.com\u2060')).toMatchObject({ kind: 'valid', address: 'bob@example.com' })
  })

  it('removes a surrounding <...> and a mailto: prefix', () => {
    expect(checkEmail('<Bob@Example.com>')).toMatchObject({ kind: 'valid', address: 'bob@example.com' })
    expect(checkEmail('mailto:bob@example.com')).toMatchObject({ kind: 'valid', address: 'bob@example.com' })
    expect(checkEmail('MAILTO: bob@example.com ')).toMatchObject({ kind: 'valid', address: 'bob@example.com' })
    expect(checkEmail('< mailto:bob@example.com >')).toMatchObject({ kind: 'valid', address: 'bob@example.com' })
  })

  it('reports an empty cell as empty, not invalid', () => {
    expect(checkEmail('')).toEqual({ kind: 'empty' })
    expect(checkEmail(' \u00a0 ')).toEqual({ kind: 'empty' })
  })

  it.each([
    ['bob.example.com', 'it has no @'],
    ['bob@@example.com', 'it has more than one @'],
    ['a@b@example.com', 'it has more than one @'],
    ['@example.com', 'there is nothing before the @'],
    ['bob@', 'there is nothing after the @'],
    ['bob@example', 'the part after the @ has no dot (like example.com)'],
    ['bob@example.c', 'it ends in ".c"; the ending after the last dot must be at least two letters'],
    ['bob@example.123', 'it ends in ".123"; the ending after the last dot must be at least two letters'],
    ['bob smith@example.com', 'it contains a space'],
    ['bob@exa mple.com', 'it contains a space'],
    ['bob..smith@example.com', 'the part before the @ has a misplaced dot'],
    ['bob@example..com', 'the part after the @ has a misplaced dot'],
    ['bob,smith@example.com', 'the part before the @ contains ",", which is not allowed'],
    ['bob@exam_ple.com', 'the part after the @ contains characters a domain cannot have'],
    ['<>', 'there is no address in it'],
  ])('refuses %j: %s', (raw, why) => {
    expect(checkEmail(raw)).toEqual({ kind: 'invalid', normalized: expect.any(String), why })
  })

  it('accepts up to 80 characters (an import takes 50: the classifier says so of a longer one)', () => {
    const at50 = `${'a'.repeat(38)}@example.com`
    const at51 = `${'a'.repeat(39)}@example.com`
    const at80 = `${'a'.repeat(68)}@example.com`
    const at81 = `${'a'.repeat(69)}@example.com`
    expect(at50.length).toBe(50)
    expect(checkEmail(at50)).toMatchObject({ kind: 'valid' })
    expect(checkEmail(at51)).toMatchObject({ kind: 'valid' })
    expect(checkEmail(at80)).toMatchObject({ kind: 'valid' })
    expect(checkEmail(at81)).toMatchObject({
      kind: 'invalid',
      why: 'it is 81 characters long; Constant Contact accepts at most 80',
    })
  })

  it('accepts international domains', () => {
    expect(checkEmail('anna@bücher.de')).toMatchObject({ kind: 'valid', address: 'anna@bücher.de' })
    expect(checkEmail('anna@example.xn--p1ai')).toMatchObject({ kind: 'valid' })
  })

  it('refuses invisible control characters inside an address', () => {
    expect(checkEmail('bob\u0007@example.com')).toMatchObject({
      kind: 'invalid',
      why: 'it contains an invisible control character',
    })
  })
})

describe('trimCell', () => {
  it('leaves inner spaces alone', () => {
    expect(trimCell('\u200b Anna Maria \u00a0')).toBe('Anna Maria')
  })
})
