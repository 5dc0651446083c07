// Runs before each unit test file (vitest.config.ts `setupFiles`).
import { afterAll } from 'vitest'
import { removeFileFolder } from './temp'

afterAll(removeFileFolder)
