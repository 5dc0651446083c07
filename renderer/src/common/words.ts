/** Numbers, sizes and dates the way every screen writes them. */

export const formatCount = (n: number): string => n.toLocaleString('en-US')

/** "1 row", "12,400 rows". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return countOf(bytes, 'byte')
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`
}

/** "Tuesday, 3 June, 14:05" in the person's own way of writing dates. */
export function when(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}
