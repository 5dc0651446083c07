import type { CliCommand } from '../command'

/**
 * Every sub-command of `splitsend`. Each lives in its own module in this folder;
 * add it here to make it reachable.
 */
export const commands: CliCommand[] = []
