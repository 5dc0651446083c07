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
  return uuidText(pool, at)
}

/** The UUID whose 16 bytes start at `at`, as one flat lower-case string. */
export function uuidText(bytes: Uint8Array, at: number): string {
  let out = 0
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[out++] = 0x2d // '-'
    const byte = bytes[at + i]!
    text[out++] = HEX[byte >> 4]!
    text[out++] = HEX[byte & 0x0f]!
  }
  return text.toString('latin1')
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The IDs as 16 bytes each, when every one is a UUID in lower case (as the service makes them). */
export function uuidBytes(ids: readonly string[]): Buffer | undefined {
  const bytes = Buffer.allocUnsafe(16 * ids.length)
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!
    if (!UUID.test(id)) return undefined
    bytes.write(id.replaceAll('-', ''), 16 * i, 'hex')
  }
  return bytes
}
