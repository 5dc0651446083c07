/** Characters Windows refuses in a file name (`/` and `\` separate folders everywhere), and control characters. */
const UNSAFE_CHARACTERS = /[\\/:*?"<>|\u0000-\u001f]/g

/**
 * `name` made safe as one file or folder name on Windows, macOS and Linux: each character a
 * system refuses becomes "-"; no dot at the start (a hidden file) and no dot or space at the end
 * (Windows drops them); at most `maxLength` characters; `fallback` when nothing is left.
 */
export function safeFileName(name: string, maxLength = 120, fallback = 'spreadsheet'): string {
  const safe = name
    .replace(UNSAFE_CHARACTERS, '-')
    .replace(/^\.+/, '')
    .slice(0, maxLength)
    .replace(/[. ]+$/, '')
  return safe || fallback
}
