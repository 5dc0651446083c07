/**
 * Turns a record of a prepared group file into a `contacts_json_import` contact. The same function
 * builds contacts for planning (to measure them) and for sending, so what is measured is exactly
 * what is sent.
 */
export type ImportContact = Record<string, string | number>

export interface ContactBuilder {
  /** The contact for one record. */
  build(cells: readonly string[]): ImportContact
  /** Why something in the record was not sent (a birthday that isn't a month and day), if anything. */
  notes(cells: readonly string[]): string[]
}

/**
 * `header` is the group file's header; `customFieldNames` maps its `cf:<prepared name>` columns to
 * Constant Contact's own field names. Custom-field columns missing from the map are not sent.
 */
export function contactBuilder(
  header: readonly string[],
  customFieldNames: ReadonlyMap<string, string>,
): ContactBuilder {
  const keys = header.map((column) =>
    column.startsWith('cf:')
      ? customFieldNames.has(column)
        ? `cf:${customFieldNames.get(column)}`
        : undefined
      : column,
  )
  const month = header.indexOf('birthday_month')
  const day = header.indexOf('birthday_day')

  const birthday = (cells: readonly string[]): { month: number; day: number } | 'invalid' | undefined => {
    const m = month >= 0 ? (cells[month] ?? '').trim() : ''
    const d = day >= 0 ? (cells[day] ?? '').trim() : ''
    if (!m && !d) return undefined
    const mn = /^\d{1,2}$/.test(m) ? Number(m) : NaN
    const dn = /^\d{1,2}$/.test(d) ? Number(d) : NaN
    // Constant Contact wants both, as numbers; one without the other is refused.
    return mn >= 1 && mn <= 12 && dn >= 1 && dn <= 31 ? { month: mn, day: dn } : 'invalid'
  }

  return {
    build(cells) {
      const contact: ImportContact = {}
      const bday = birthday(cells)
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]
        const value = cells[i]
        if (key === undefined || value === undefined || value === '') continue
        if (i === month || i === day) {
          if (bday && bday !== 'invalid') contact[key] = i === month ? bday.month : bday.day
          continue
        }
        contact[key] = value
      }
      return contact
    },
    notes(cells) {
      const notes: string[] = []
      if (birthday(cells) === 'invalid') notes.push('Birthday not sent: it needs a month (1–12) and a day (1–31).')
      return notes
    },
  }
}
