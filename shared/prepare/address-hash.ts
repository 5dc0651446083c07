/**
 * The hash the address table files addresses under: 32-bit FNV-1a over the address's UTF-16 code
 * units (for an ASCII address, its bytes). In a module of its own so that the address checks
 * (email.ts) can work it out while they read an address, and the table (classify.ts) agrees.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0
export const FNV_PRIME = 16777619

/** The hash of an address of one byte per character, `bytes[from..from+length)`. */
export function addressHashOfBytes(bytes: Uint8Array, from: number, length: number): number {
  let hash = FNV_OFFSET
  for (let i = from; i < from + length; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME)
  return hash
}
