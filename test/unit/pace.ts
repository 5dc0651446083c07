/**
 * The tests' pace: one declaration (electron/services/test-pace.ts), shared with the web bridge
 * under the browser tests. No vitest here: child processes of the crash tests import it too.
 */
export * from '../../electron/services/test-pace'
