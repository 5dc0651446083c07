import { closeSync, openSync, readSync } from 'node:fs'

export interface Utf8PositionsNoted {
  chars: number[]
  bytes: number[]
  charCount: number
  byteCount: number
}

/** About how many characters apart the positions are noted. */
const STEP_CHARS = 1024

/**
 * Where characters of a UTF-8 file's decoded text are in the file, noted while the file is read
 * once (about every kilobyte, at character boundaries), so that a few records can be read again
 * later by their character span by decoding only a kilobyte or two around each, instead of the
 * whole file. Only for text decoded without a single replacement character: then every character
 * stands for exactly its own UTF-8 bytes (an invalid byte turned into U+FFFD does not).
 */
export class Utf8Positions {
  private chars: number[] = [0]
  private bytes: number[]
  private charCount = 0
  private byteCount: number

  /** `startByte`: where the decoded text starts in the file (after a byte order mark). */
  constructor(startByte: number) {
    this.byteCount = startByte
    this.bytes = [startByte]
  }

  /** What the positions noted so far are, to be taken to another thread ({@link fromNoted}). */
  noted(): Utf8PositionsNoted {
    return { chars: this.chars, bytes: this.bytes, charCount: this.charCount, byteCount: this.byteCount }
  }

  static fromNoted(noted: Utf8PositionsNoted): Utf8Positions {
    const positions = new Utf8Positions(0)
    positions.chars = noted.chars
    positions.bytes = noted.bytes
    positions.charCount = noted.charCount
    positions.byteCount = noted.byteCount
    return positions
  }

  /** Notes the next piece of decoded text (whole characters, as a streaming decoder gives them). */
  add(text: string): void {
    let from = 0
    for (let cut = STEP_CHARS; cut < text.length; cut += STEP_CHARS) {
      // Just after an ASCII character is a boundary in both UTF-16 and UTF-8 (never inside a pair or a sequence).
      while (cut < text.length && text.charCodeAt(cut - 1) >= 0x80) cut++
      if (cut >= text.length) break
      this.note(text.slice(from, cut))
      from = cut
    }
    this.note(from === 0 ? text : text.slice(from))
  }

  private note(text: string): void {
    this.charCount += text.length
    this.byteCount += Buffer.byteLength(text, 'utf8')
    this.chars.push(this.charCount)
    this.bytes.push(this.byteCount)
  }

  /**
   * The text between character positions `start` and `end` of each span (sorted by `start`), read
   * from the file at `path`. `onText` gets each span's text in order.
   */
  readSpans<T extends { start: number; end: number }>(
    path: string,
    spans: readonly T[],
    onText: (span: T, text: string) => void,
    signal?: AbortSignal,
  ): void {
    if (spans.length === 0) return
    // ignoreBOM: a U+FEFF inside the text is a character like any other, not a mark to drop.
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    const fd = openSync(path, 'r')
    try {
      let buffer = Buffer.allocUnsafe(64 * 1024)
      let noted = 0
      for (const span of spans) {
        signal?.throwIfAborted()
        while (noted + 1 < this.chars.length && this.chars[noted + 1]! <= span.start) noted++
        const fromChar = this.chars[noted]!
        // No character takes more than 3 bytes per UTF-16 unit; a character cut off at the end of
        // what is read decodes as U+FFFD after the span, so it does no harm.
        const want = (span.end - fromChar) * 3
        if (want > buffer.length) buffer = Buffer.allocUnsafe(want)
        const length = readAll(fd, buffer, want, this.bytes[noted]!)
        const text = decoder.decode(buffer.subarray(0, length))
        onText(span, text.slice(span.start - fromChar, span.end - fromChar))
      }
    } finally {
      closeSync(fd)
    }
  }
}

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
function readAll(fd: number, buffer: Buffer, length: number, position: number): number {
  let done = 0
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done)
    if (read === 0) break
    done += read
  }
  return done
}
