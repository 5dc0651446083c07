/** Dates and times as the report writes them: in words, in the computer's own time zone, with the zone named. */
const DATE_TIME = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
})

/** "June 1, 2099 at 9:30 AM EDT"; the text as it came when it isn't a date; "—" when there is none. */
export function reportDate(iso: string | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date)
}
