import { badRequest } from './http-util'

/**
 * A multipart/form-data body (RFC 7578), read by the platform's own parser (Request.formData).
 * `contentType` is the header as sent: its boundary is case-sensitive. A body that can't be read
 * is refused as Constant Contact refuses a malformed request.
 */
export async function readFormData(body: Buffer, contentType: string): Promise<FormData> {
  if (!/;\s*boundary=/i.test(contentType))
    throw badRequest('The multipart request has no boundary.', 'api.malformed.multipart')
  try {
    const request = new Request('http://local.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    })
    return await request.formData()
  } catch {
    throw badRequest('The multipart request is malformed.', 'api.malformed.multipart')
  }
}
