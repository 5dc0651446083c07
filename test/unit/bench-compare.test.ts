import { describe, expect, it } from 'vitest'
import { median, medianBy, showRatio, sideBySide } from '../bench/compare'

describe('the benchmarks’ side-by-side table', () => {
  it('gives the second value ÷ the first, and n/a when one is missing or the first is zero', () => {
    const lines = sideBySide(['before', 'after'], 'after/before', [
      { label: 'busy', values: [200, 50], show: (ms) => `${ms} ms` },
      { label: 'not measured', values: [undefined, 3] },
      { label: 'from none', values: [0, 3] },
      { label: 'to none', values: [2, 0] },
      { label: 'counts', values: ['13 / 14', '13 / 13'], note: 'sends / checks' },
    ])
    expect(lines).toEqual([
      '                  before     after   after/before',
      '  busy            200 ms     50 ms         0.250×',
      '  not measured       n/a         3            n/a',
      '  from none            0         3            n/a',
      '  to none              2         0          0.00×',
      '  counts         13 / 14   13 / 13                  sends / checks',
    ])
  })

  it('shows a ratio with three significant digits, whole above 100', () => {
    expect([showRatio(54.32, 1), showRatio(1234, 10), showRatio(1, 3), showRatio(5, 0)]).toEqual([
      '54.3×',
      '123×',
      '0.333×',
      'n/a',
    ])
  })

  it('takes the middle measurement, the mean of the two middle ones for an even count', () => {
    expect(median([9, 1, 5])).toBe(5)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(medianBy([{ ms: 9 }, { ms: 1 }, { ms: 5 }], (run) => run.ms)).toEqual({ ms: 5 })
  })
})
