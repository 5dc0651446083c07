import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { z } from 'zod'
import { parseJsonAs } from '../files/json-text'

/** An answer a handler gives; thrown {@link SimHttpError}s become one too. */
export interface SimResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Raw HTML/text instead of JSON. */
  html?: string
  /** A body of another type written a piece at a time as the client reads it (an export's CSV file). */
  stream?: { contentType: string; pieces: Iterable<string> | AsyncIterable<string> }
}

/** A refusal in Constant Contact's own shape: an array of {error_key, error_message} unless `single`. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorKey: string,
    message: string,
    readonly single = false,
  ) {
    super(message)
  }

  toResponse(): SimResponse {
    const item = { error_key: this.errorKey, error_message: this.message }
    return { status: this.status, body: this.single ? item : [item] }
  }
}

/** A refusal with several error items (a validation answer naming each field). */
export class SimHttpErrors extends SimHttpError {
  constructor(
    status: number,
    readonly items: Array<{ error_key: string; error_message: string }>,
  ) {
    super(status, items[0]?.error_key ?? 'api.validation.error', items[0]?.error_message ?? '')
  }

  override toResponse(): SimResponse {
    return { status: this.status, body: this.items.map((item) => ({ ...item })) }
  }
}

export const badRequest = (message: string, key = 'api.validation.error'): SimHttpError =>
  new SimHttpError(400, key, message)
export const notFound = (message: string, key = 'api.resource.not_found'): SimHttpError =>
  new SimHttpError(404, key, message)

export function readBody(req: IncomingMessage, limitBytes = 64 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limitBytes) {
        reject(new SimHttpError(413, 'request.too_large', 'Request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw badRequest('A JSON request body is required.', 'api.malformed.json')
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw badRequest('The request body is not valid JSON.', 'api.malformed.json')
  }
}

export function parseForm(raw: Buffer): URLSearchParams {
  return new URLSearchParams(raw.toString('utf8'))
}

export function writeResponse(res: ServerResponse, response: SimResponse): void {
  if (res.headersSent || res.destroyed) return
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...response.headers }
  if (response.html !== undefined) {
    res.writeHead(response.status, { 'Content-Type': 'text/html; charset=utf-8', ...headers })
    res.end(response.html)
    return
  }
  if (response.stream) {
    res.writeHead(response.status, { 'Content-Type': response.stream.contentType, ...headers })
    // Readable.from waits for the client to read each piece, so a large file never sits whole in memory.
    Readable.from(response.stream.pieces, { objectMode: false }).pipe(res)
    return
  }
  if (response.body === undefined) {
    res.writeHead(response.status, headers)
    res.end()
    return
  }
  res.writeHead(response.status, { 'Content-Type': 'application/json', ...headers })
  res.end(JSON.stringify(response.body))
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/**
 * Opaque page cursor for `_links.next`: the query it continues (`q`) and where (`o`). It comes back
 * from the client, which may have changed it: anything but what {@link encodeCursor} makes is a 400
 * (the description's answer to a request that can't be read), never a page from a made-up place.
 */
const CursorSchema = z.object({ o: z.number().int().nonnegative(), q: z.record(z.string(), z.string()) })
type Cursor = z.infer<typeof CursorSchema>

function encodeCursor(offset: number, query: Cursor['q']): string {
  return Buffer.from(JSON.stringify({ o: offset, q: query } satisfies Cursor)).toString('base64url')
}

function decodeCursor(cursor: string): { offset: number; query: Cursor['q'] } {
  const parsed = parseJsonAs(CursorSchema, Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!parsed) throw badRequest('The cursor is not valid.', 'api.cursor.invalid')
  return { offset: parsed.o, query: parsed.q }
}

/** Reads `limit` with the documented bounds; out of range is a 400 like the real API. */
export function readLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit')
  if (raw === null || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw badRequest(`limit must be a whole number from 1 to ${max}.`, 'api.validation.limit')
  return value
}

/** Applies a saved cursor (if any) and returns the effective query and offset. */
export function pageQuery(url: URL): { query: URLSearchParams; offset: number } {
  const cursor = url.searchParams.get('cursor')
  if (!cursor) return { query: url.searchParams, offset: 0 }
  const decoded = decodeCursor(cursor)
  return { query: new URLSearchParams(decoded.query), offset: decoded.offset }
}

/** The `_links` of a page, with a `next` cursor when more items remain. */
export function pageLinks(
  path: string,
  query: URLSearchParams,
  offset: number,
  limit: number,
  total: number,
): { next?: { href: string } } {
  if (offset + limit >= total) return {}
  const kept: Record<string, string> = {}
  for (const [k, v] of query) if (k !== 'cursor') kept[k] = v
  return { next: { href: `/v3${path}?cursor=${encodeCursor(offset + limit, kept)}` } }
}

export const EMAIL_PATTERN =
  /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/
