import { randomFillSync } from 'node:crypto'

/**
 * Random version-4 UUIDs for the contacts an import creates, as flat strings.
 *
 * `crypto.randomUUID()` returns its text as a tree of small joined pieces (V8 keeps a
 * concatenation as such until something reads it through), which a big import keeps for every
 * contact, in memory and in garbage-collection time. Writing the characters into a buffer and
 * reading them back once makes one flat 36-character string.
 */
const HEX = Buffer.from('0123456789abcdef', 'latin1')
const POOL_UUIDS = 512
const pool = Buffer.allocUnsafe(16 * POOL_UUIDS)
let used = POOL_UUIDS
const text = Buffer.allocUnsafe(36)

export function newContactId(): string {
  if (used === POOL_UUIDS) {
    randomFillSync(pool)
    used = 0
  }
  const at = 16 * used++
  pool[at + 6] = (pool[at + 6]! & 0x0f) | 0x40 // version 4
  pool[at + 8] = (pool[at + 8]! & 0x3f) | 0x80 // RFC 4122 variant
  let out = 0
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[out++] = 0x2d // '-'
    const byte = pool[at + i]!
    text[out++] = HEX[byte >> 4]!
    text[out++] = HEX[byte & 0x0f]!
  }
  return text.toString('latin1')
}
