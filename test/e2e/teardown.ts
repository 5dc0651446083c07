import { rmSync } from 'node:fs'
import { E2E_RUN_DIR } from '../../playwright.config'

/**
 * Removes the run's folder (every bridge's data, exports and keychain). Playwright runs this before
 * it stops the web servers, so a bridge may still be writing (the practice account saves its state
 * a moment after a change): a folder that filled again while it was emptied is tried again.
 */
export default function teardown(): void {
  rmSync(E2E_RUN_DIR, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
}
