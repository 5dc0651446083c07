/** Numbers, sizes and dates the way every screen writes them. */
export { formatBytes } from '../../../shared/sizes'

export const formatCount = (n: number): string => n.toLocaleString('en-US')

/** "1 row", "12,400 rows". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/** "Tuesday, 3 June, 14:05" in the person's own way of writing dates. */
export function when(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}
