import { badRequest } from './http-util'

export interface MultipartPart {
  name: string
  filename?: string
  contentType?: string
  data: Buffer
}

/** Splits a multipart/form-data body (RFC 7578) into its parts. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  const token = boundary?.[1] ?? boundary?.[2]
  if (!token) throw badRequest('The multipart request has no boundary.', 'api.malformed.multipart')
  const delimiter = Buffer.from(`--${token}`)
  const parts: MultipartPart[] = []
  let start = body.indexOf(delimiter)
  if (start < 0) throw badRequest('The multipart request is malformed.', 'api.malformed.multipart')
  for (;;) {
    start += delimiter.length
    if (body.subarray(start, start + 2).toString() === '--') break // closing delimiter
    start += 2 // CRLF after the delimiter
    const next = body.indexOf(delimiter, start)
    if (next < 0) throw badRequest('The multipart request is malformed.', 'api.malformed.multipart')
    const part = body.subarray(start, next - 2) // without the CRLF before the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n')
    if (headerEnd < 0) throw badRequest('The multipart request is malformed.', 'api.malformed.multipart')
    const headers = part.subarray(0, headerEnd).toString('utf8')
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? ''
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1]
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1]
    const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]
    if (name !== undefined) {
      parts.push({
        name,
        data: Buffer.from(part.subarray(headerEnd + 4)),
        ...(filename !== undefined ? { filename } : {}),
        ...(type ? { contentType: type.trim() } : {}),
      })
    }
    start = next
  }
  return parts
}
