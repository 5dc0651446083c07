import iconv from 'iconv-lite'
import type { TextEncoding } from '../../../shared/prepare/schemas'

/**
 * Which character encoding a text export uses, from its first bytes: a byte order mark when there
 * is one (Excel's "CSV UTF-8" and "Unicode text"), else valid UTF-8, else the Windows code page
 * Excel uses for plain "CSV" — or Mac Roman when the accented letters only make sense that way.
 */
export interface DetectedEncoding {
  encoding: TextEncoding
  /** Bytes of byte order mark at the start of the file. */
  bomLength: number
}

export function detectEncoding(head: Buffer, wholeFile: boolean): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 }
  const utf16 = guessUtf16WithoutBom(head)
  if (utf16) return { encoding: utf16, bomLength: 0 }
  if (isValidUtf8(head, wholeFile)) return { encoding: 'utf-8', bomLength: 0 }
  return { encoding: looksLikeMacRoman(head) ? 'macintosh' : 'windows-1252', bomLength: 0 }
}

/** Text in UTF-16 without a BOM has a zero byte in every other position for Latin text. */
function guessUtf16WithoutBom(head: Buffer): TextEncoding | null {
  const length = Math.min(head.length, 4096) & ~1
  if (length < 8) return null
  let zeroEven = 0
  let zeroOdd = 0
  for (let i = 0; i < length; i += 2) {
    if (head[i] === 0) zeroEven++
    if (head[i + 1] === 0) zeroOdd++
  }
  const pairs = length / 2
  if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05) return 'utf-16le'
  if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05) return 'utf-16be'
  return null
}

/** True when the bytes hold NUL characters, as binary files do and text exports never do. */
export function looksBinary(head: Buffer, encoding: TextEncoding): boolean {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return false
  const length = Math.min(head.length, 8192)
  for (let i = 0; i < length; i++) if (head[i] === 0) return true
  return false
}

/** Strict UTF-8 check; a sequence cut off by the end of the sample is fine unless it is the whole file. */
function isValidUtf8(bytes: Buffer, wholeFile: boolean): boolean {
  let i = 0
  const n = bytes.length
  while (i < n) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else return false
    if (i + need >= n) {
      // The sequence runs past the end of the sample: fine if what is there is a valid beginning.
      if (wholeFile) return false
      for (let k = i + 1; k < n; k++) if ((bytes[k]! & 0xc0) !== 0x80) return false
      return true
    }
    let code = b & (0xff >> (need + 2))
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!
      if ((c & 0xc0) !== 0x80) return false
      code = (code << 6) | (c & 0x3f)
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false
    i += need + 1
  }
  return true
}

/**
 * Windows-1252 and Mac Roman put accented letters at different byte values. Inside a word of
 * lower-case letters an accented letter is lower-case too (é, ü, ñ), so count, for each encoding,
 * how many high bytes between lower-case letters decode to a lower-case letter. Mac Roman only
 * wins when it explains clearly more of them; Windows-1252 is far more common.
 */
function looksLikeMacRoman(head: Buffer): boolean {
  let windows = 0
  let mac = 0
  const isLower = (b: number | undefined): boolean => b !== undefined && b >= 0x61 && b <= 0x7a
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!
    if (b < 0x80) continue
    if (!isLower(head[i - 1]) && !isLower(head[i + 1])) continue
    const single = Buffer.of(b)
    const asWindows = iconv.decode(single, 'windows-1252')
    const asMac = iconv.decode(single, 'macintosh')
    if (isLowerLetter(asWindows)) windows++
    if (isLowerLetter(asMac)) mac++
  }
  return mac > windows && mac >= 2
}

function isLowerLetter(char: string): boolean {
  return char !== char.toUpperCase() && char === char.toLowerCase()
}

/**
 * A stateful decoder: a character whose bytes are split between two chunks is kept until the
 * rest arrives, so it is never corrupted. The byte order mark is dropped.
 */
export interface StreamDecoder {
  write(chunk: Buffer): string
  end(): string
}

export function createStreamDecoder(encoding: TextEncoding): StreamDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-16le') {
    // The built-in decoder is faster than iconv-lite's for these; it drops the BOM too.
    const native = new TextDecoder(encoding)
    return {
      write: (chunk) => native.decode(chunk, { stream: true }),
      end: () => native.decode(),
    }
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: true })
  return {
    write: (chunk) => decoder.write(chunk),
    end: () => decoder.end() ?? '',
  }
}

/** The names shown to a person for each encoding. */
export const ENCODING_LABELS: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1252': 'Windows-1252 (Western European)',
  macintosh: 'Mac Roman',
}
