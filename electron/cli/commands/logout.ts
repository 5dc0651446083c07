import { EXIT, type CliCommand } from '../command'
import { noPositionals, parseCommandLine } from '../command-line'
import { commandAccountService } from '../../services/account/command-support'

export const logoutCommand: CliCommand = {
  name: 'logout',
  summary: 'Disconnect and remove every Constant Contact sign-in from the keychain',
  usage: `Usage: splitsend logout

Disconnects Splitsend from Constant Contact: removes the sign-in and the API keys of every account
(real and practice) from this computer's keychain. The Splitsend app is disconnected too.
`,
  async run(args, io) {
    noPositionals(parseCommandLine(args, {}).positionals)
    const account = commandAccountService(io.stdout)
    try {
      await account.disconnect()
      io.stdout(
        'Disconnected. Splitsend’s Constant Contact sign-ins and API keys are removed from this computer’s keychain.\n',
      )
      return EXIT.ok
    } finally {
      await account.close()
    }
  },
}
