/** Where a Constant Contact lives: the V3 API and its authorization server. */
export interface CcEndpoints {
  /** The V3 API root, e.g. `https://api.cc.email/v3`. No trailing slash. */
  apiBase: string
  /** The authorization server root that holds `/authorize`, `/token` and `/device/authorize`. */
  authBase: string
}

/** The real Constant Contact (constant-contact-v3.md §1). */
export const REAL_ENDPOINTS: CcEndpoints = Object.freeze({
  apiBase: 'https://api.cc.email/v3',
  authBase: 'https://authz.constantcontact.com/oauth2/default/v1',
})

/** The scopes Splitsend asks for: contacts and lists, campaigns, reading the account, and a refresh token. */
export const SPLITSEND_SCOPES = ['contact_data', 'campaign_data', 'account_read', 'offline_access'] as const

export function normalizeEndpoints(endpoints: CcEndpoints): CcEndpoints {
  const clean = (url: string, what: string): string => {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new TypeError(`The ${what} address "${url}" is not a web address`)
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new TypeError(`The ${what} address must start with https://`)
    return parsed.href.replace(/\/+$/, '')
  }
  return { apiBase: clean(endpoints.apiBase, 'API'), authBase: clean(endpoints.authBase, 'authorization server') }
}

export function isRealEndpoints(endpoints: CcEndpoints): boolean {
  const n = normalizeEndpoints(endpoints)
  return n.apiBase === REAL_ENDPOINTS.apiBase && n.authBase === REAL_ENDPOINTS.authBase
}
