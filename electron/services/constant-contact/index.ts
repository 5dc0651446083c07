/**
 * Constant Contact V3 for Splitsend: the typed client, the one shared rate limiter, plain-language
 * errors and the documented limits. Tokens come from the account service (../account).
 */
export {
  createCcClient,
  allPages,
  type CcClient,
  type CcClientOptions,
  type CallOptions,
  type NextPage,
} from './client'
export { createRateLimiter, sharedRateLimiter, type RateLimiter, type RateLimiterOptions } from './rate-limiter'
export { DEFAULT_RETRY_POLICY, type CcEvent, type RetryPolicy, type TokenSource } from './transport'
export { ConstantContactError, parseErrorBody, nextMidnightUtc, type CcErrorCode } from './errors'
export { CC_LIMITS } from './limits'
export { REAL_ENDPOINTS, SPLITSEND_SCOPES, normalizeEndpoints, isRealEndpoints, type CcEndpoints } from './endpoints'
export * from './types'
