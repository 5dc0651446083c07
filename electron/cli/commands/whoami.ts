import { EXIT, type CliCommand } from '../command'
import { noPositionals, parseCommandLine } from '../command-line'
import { commandAccountService, describeStatus } from '../../services/account/command-support'
import { UserFacingError } from '../../../shared/errors'

export const whoamiCommand: CliCommand = {
  name: 'whoami',
  summary: 'Show which Constant Contact account Splitsend is connected to',
  usage: `Usage: splitsend whoami

Shows the connected Constant Contact account (asking Constant Contact for its current name).
Exits with 1 when Splitsend is not connected.
`,
  async run(args, io) {
    noPositionals(parseCommandLine(args, {}).positionals)
    const account = commandAccountService(io.stdout)
    try {
      let status
      try {
        status = await account.status({ refresh: true })
      } catch (error) {
        // Show what is known even when Constant Contact can't be asked right now.
        status = await account.status()
        if (error instanceof UserFacingError && status.connected)
          io.stderr(`(Couldn’t check with Constant Contact just now: ${error.message})\n`)
        else throw error
      }
      io.stdout(describeStatus(status))
      return status.connected ? EXIT.ok : EXIT.failure
    } finally {
      await account.close()
    }
  },
}
