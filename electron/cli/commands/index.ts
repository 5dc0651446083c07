import type { CliCommand } from '../command'
import { inspectCommand } from './inspect'
import { prepareCommand } from './prepare'
import { loginCommand } from './login'
import { logoutCommand } from './logout'
import { whoamiCommand } from './whoami'
import { simulatorCommand } from './simulator'
import { uploadCommand } from './upload'
import { sendCommand } from './send'
import { routineCommand } from './routine'

/**
 * Every sub-command of `splitsend`. Each lives in its own module in this folder;
 * add it here to make it reachable.
 */
export const commands: CliCommand[] = [
  prepareCommand,
  inspectCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
  simulatorCommand,
  uploadCommand,
  sendCommand,
  routineCommand,
]
