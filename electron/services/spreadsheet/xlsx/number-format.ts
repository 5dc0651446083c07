/**
 * Numbers in a workbook are stored bare (`1`, `45292`, `0.3000000000000004`); Excel shows them
 * through a number format. A flag stored as 1 must read `1`, a date `2024-01-31`, a ZIP code
 * formatted `00000` keeps its leading zero. This covers the formats that matter for contact
 * lists; anything else is shown as Excel's "General" would.
 */

export type NumberStyle =
  | { kind: 'general' }
  | { kind: 'fixed'; decimals: number; grouping: boolean }
  | { kind: 'percent'; decimals: number }
  | { kind: 'zeros'; width: number }
  | { kind: 'date'; time: boolean; dateOnly: boolean }

const GENERAL: NumberStyle = { kind: 'general' }

const BUILTIN: Record<number, NumberStyle> = {
  1: { kind: 'fixed', decimals: 0, grouping: false },
  2: { kind: 'fixed', decimals: 2, grouping: false },
  3: { kind: 'fixed', decimals: 0, grouping: true },
  4: { kind: 'fixed', decimals: 2, grouping: true },
  9: { kind: 'percent', decimals: 0 },
  10: { kind: 'percent', decimals: 2 },
}
for (const id of [14, 15, 16, 17, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58])
  BUILTIN[id] = { kind: 'date', time: false, dateOnly: true }
for (const id of [18, 19, 20, 21, 32, 33, 45, 46, 47, 55, 56])
  BUILTIN[id] = { kind: 'date', time: true, dateOnly: false }
BUILTIN[22] = { kind: 'date', time: true, dateOnly: false }

/** The style of a number format id, given the workbook's custom format codes. */
export function numberStyle(formatId: number, customCodes: ReadonlyMap<number, string>): NumberStyle {
  const code = customCodes.get(formatId)
  if (code !== undefined) return styleOfCode(code)
  return BUILTIN[formatId] ?? GENERAL
}

function styleOfCode(code: string): NumberStyle {
  // Only the first section (positive numbers) matters; drop quoted text, escapes and [colour] tags.
  const section = (code.split(';')[0] ?? '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
    .trim()
  if (section === '' || /^general$/i.test(section) || section === '@') return GENERAL
  if (/[dy]/i.test(section) || /[hs]/i.test(section) || /\[[hms]+\]/i.test(section) || /^m+$/i.test(section)) {
    const date = /[dy]/i.test(section) || /^m+$/i.test(section)
    const time = /[hs]/i.test(section)
    return { kind: 'date', time, dateOnly: date && !time }
  }
  if (/^0+$/.test(section))
    return section.length > 1
      ? { kind: 'zeros', width: section.length }
      : { kind: 'fixed', decimals: 0, grouping: false }
  const percent = /^[#,0]*0(?:\.(0+))?%$/.exec(section)
  if (percent) return { kind: 'percent', decimals: decimalsOf(percent[1]) }
  const fixed = /^[#,0]*0(?:\.(0+))?$/.exec(section)
  if (fixed) return { kind: 'fixed', decimals: decimalsOf(fixed[1]), grouping: section.includes(',') }
  return GENERAL
}

/** Excel shows at most 30 decimals (and toFixed takes at most 100). */
function decimalsOf(zeros: string | undefined): number {
  return Math.min(30, zeros?.length ?? 0)
}

/** A number as Excel's General format shows it: no float noise, no trailing `.0`. */
export function generalNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value)
  return String(Number(value.toPrecision(15)))
}

export function formatNumber(raw: string, style: NumberStyle, date1904: boolean): string {
  const value = Number(raw)
  if (raw.trim() === '' || Number.isNaN(value)) return raw
  switch (style.kind) {
    case 'general':
      return generalNumber(value)
    case 'fixed': {
      const text = value.toFixed(style.decimals)
      return style.grouping ? groupThousands(text) : text
    }
    case 'percent':
      return `${(value * 100).toFixed(style.decimals)}%`
    case 'zeros':
      return Number.isInteger(value) && value >= 0 ? String(value).padStart(style.width, '0') : generalNumber(value)
    case 'date':
      return formatSerialDate(value, style, date1904)
  }
}

function groupThousands(text: string): string {
  const [whole = '', fraction] = text.split('.')
  const sign = whole.startsWith('-') ? '-' : ''
  const digits = sign ? whole.slice(1) : whole
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`
}

/** Excel's date serials: days since 1899-12-30 (1900 system, with its phantom 29 Feb 1900) or 1904-01-01. */
function formatSerialDate(serial: number, style: Extract<NumberStyle, { kind: 'date' }>, date1904: boolean): string {
  if (serial < 0 || serial > 2958465) return generalNumber(serial)
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)
  const adjusted = !date1904 && serial < 60 ? serial + 1 : serial
  const milliseconds = Math.round(adjusted * 86400000)
  const date = new Date(epoch + milliseconds)
  const pad = (n: number): string => String(n).padStart(2, '0')
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  if (style.dateOnly || (!style.time && Number.isInteger(serial))) return day
  if (serial < 1) return time
  return `${day} ${time}`
}
