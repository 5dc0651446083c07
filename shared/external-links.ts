/**
 * The only web addresses Splitsend will open in the system browser: Constant Contact's own sites
 * (sign-in, help, the account), over HTTPS. Parsed strictly by hand because shared/ has no URL class;
 * anything unusual (user info, odd characters, another scheme) is refused.
 */
const ALLOWED_HOST_SUFFIXES = ['constantcontact.com', 'cc.email']

export function isAllowedExternalUrl(url: string): boolean {
  const match = /^https:\/\/([a-z0-9.-]+)(?::443)?(?:[/?#][\x21-\x7e]*)?$/i.exec(url)
  if (!match) return false
  const host = match[1]!.toLowerCase()
  if (host.startsWith('.') || host.endsWith('.') || host.includes('..')) return false
  return ALLOWED_HOST_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))
}
