/**
 * A `Retry-After` header (RFC 9110 §10.2.3) as milliseconds from `now`: delta-seconds or an
 * HTTP-date. Constant Contact doesn't document sending one (constant-contact-v3.md §2), but the
 * gateways in front of it may, on 429 and 503 answers. Undefined when absent or unreadable; a date
 * in the past is 0.
 */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = header?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/[a-z]/i.test(text)) return undefined // "1.5", "-3": not a delta-seconds nor a date
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
