/**
 * A cell, a header or a file name can hold characters a terminal acts on instead of showing: ESC
 * starts sequences that move the cursor, rewrite the window title, hide text or (in some
 * terminals) write files; CR overwrites a line already shown; the bidi marks reorder what is read.
 * The command writes them as visible escapes (`\u001b`, `\r`), which in JSON output are the same
 * characters, so `--json` stays exact.
 */

// C0 controls but line feed, DEL, C1 controls, and the characters that reorder text.
const ACTING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const ACTING_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

const SHORT: Record<string, string> = { '\t': '\\t', '\r': '\\r', '\n': '\\n' }

function escape(char: string): string {
  return SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/** Text the command writes, with every character a terminal would act on made visible; its lines kept. */
export function terminalText(text: string): string {
  return text.replace(ACTING, escape)
}

/** One value from a person's file (cell, header, sheet or file name) on one line of the command's output. */
export function oneLine(value: string): string {
  return value.replace(ACTING_OR_NEWLINE, escape)
}
