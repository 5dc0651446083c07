import Papa from 'papaparse'
import { DELIMITERS, type Delimiter } from '../../../shared/prepare/schemas'

/**
 * Picks the delimiter that splits the sample into a consistent table. For each candidate the
 * sample is parsed properly (quotes respected) and scored on how many rows have the most common
 * number of fields, whether the header-like first rows agree with it, and how many fields that is.
 * That is what tells a `;` file with decimal commas (`Anna;12,5`) from a comma file: with `,` the
 * field counts jump around, with `;` they are the same on every line.
 */
export function detectDelimiter(sample: string, complete: boolean): Delimiter {
  let best: Delimiter = ','
  let bestScore = 0
  for (const delimiter of DELIMITERS) {
    if (!sample.includes(delimiter)) continue
    const score = scoreDelimiter(sample, delimiter, complete)
    if (score > bestScore + 1e-9) {
      best = delimiter
      bestScore = score
    }
  }
  return best
}

function scoreDelimiter(sample: string, delimiter: Delimiter, complete: boolean): number {
  const counts: number[] = []
  const parser = new Papa.Parser({
    delimiter,
    newline: sample.includes('\n') ? '\n' : '\r',
    step: (results: { data: string[][] }) => {
      const cells = results.data[0]!
      if (cells.length === 1 && cells[0]!.trim() === '') return
      counts.push(cells.length)
      if (counts.length >= 200) parser.abort()
    },
  })
  parser.parse(sample, 0, !complete)
  if (counts.length === 0) return 0
  const frequency = new Map<number, number>()
  for (const count of counts) frequency.set(count, (frequency.get(count) ?? 0) + 1)
  let mode = 1
  let modeSeen = 0
  for (const [count, seen] of frequency) {
    if (seen > modeSeen || (seen === modeSeen && count > mode)) {
      mode = count
      modeSeen = seen
    }
  }
  if (mode < 2) return 0
  const consistency = modeSeen / counts.length
  // The header is usually the first or one of the first rows: it should have as many fields as the data.
  const headerAgrees = counts.slice(0, 5).some((count) => count === mode) ? 1 : 0
  return consistency * 2 + headerAgrees + Math.min(mode, 20) / 100
}
