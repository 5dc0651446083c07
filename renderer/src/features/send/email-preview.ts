/**
 * The campaign preview's document. The email's HTML goes into an `<iframe sandbox="" srcdoc>`: no
 * scripts, no forms, no same-origin access, no navigation away. In addition it gets its own
 * Content-Security-Policy, placed before anything of the email, so nothing in it can load from the
 * network (no tracking pixels, remote images, fonts or style sheets); inline styles and images
 * embedded as data: addresses still show.
 */
export const PREVIEW_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

export function previewDocument(html: string): string {
  // A <meta> first in the document lands in <head> before the email's own markup is parsed, so the
  // policy applies to all of it; the email's own doctype, <html> and <head> tags then merge in.
  return `<!doctype html><meta http-equiv="Content-Security-Policy" content="${PREVIEW_POLICY}">${html}`
}
