import { rmSync } from 'node:fs'
import { E2E_RUN_DIR } from '../../playwright.config'

/** Removes the run's folder (every bridge's data, exports and keychain) once the bridges have stopped. */
export default function teardown(): void {
  rmSync(E2E_RUN_DIR, { recursive: true, force: true })
}
