/**
 * Constant Contact's documented limits (constant-contact-v3.md §2–§5), shared by the client, the
 * uploader's planner and the local Constant Contact so all three agree on one number.
 */
export const CC_LIMITS = Object.freeze({
  requestsPerSecond: 4,
  requestsPerDay: 10_000,
  /** Contacts in one contacts_json_import; the rest are silently dropped. */
  importMaxContacts: 40_000,
  /** Lines (header included) in one contacts_file_import. */
  fileImportMaxLines: 40_000,
  /**
   * Request body bytes of one import; contacts beyond are silently dropped. The docs say "4 MB"
   * without saying whether that is 4,000,000 or 4,194,304 bytes, so everything here uses the
   * smaller reading: a request that fits under it fits under either.
   */
  importMaxBytes: 4_000_000,
  listsPerImport: 50,
  listsPerContact: 50,
  listsPerAccount: 1_000,
  contactIdsPerMembershipActivity: 500,
  queuedActivities: 1_000,
  customFieldsPerAccount: 100,
  customFieldsPerContact: 25,
  testEmailAddressesPerSend: 5,
  testEmailsPerDay: 50,
  activityRetentionDays: 10,
  accessTokenSeconds: 24 * 60 * 60,
  authorizationCodeSeconds: 5 * 60,
})
