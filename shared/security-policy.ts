/**
 * The renderer's Content-Security-Policy, the same in the desktop app and the web bridge: scripts
 * only from the app itself, no remote content, no network requests of the page's own (connect-src
 * 'self' admits only the web bridge's own WebSocket on 127.0.0.1; in Electron there is nothing to
 * connect to). Mantine sets inline style attributes, hence style-src 'unsafe-inline'.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')
