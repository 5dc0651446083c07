import { EXIT, type CliCommand } from '../command'
import { noPositionals, parseCommandLine } from '../command-line'
import {
  commandAccountService,
  describeStatus,
  endpointFromFlags,
  ENDPOINT_OPTIONS,
} from '../../services/account/command-support'

export const loginCommand: CliCommand = {
  name: 'login',
  summary: 'Connect to a Constant Contact account (or the practice account)',
  usage: `Usage: splitsend login [--device] [--practice | --api-base URL --auth-base URL] [--client-id ID]

Connects Splitsend to a Constant Contact account. The sign-in is kept in this computer's keychain,
shared with the Splitsend app.

  --client-id ID    The app's Constant Contact API key (also called client ID); saved for next time.
  --device          Sign in with a code instead of a browser redirect (the app must allow Device Flow).
  --practice        Connect the practice account: a local Constant Contact on this computer.
  --api-base URL    Use another Constant Contact API address (with --auth-base), e.g. 'splitsend simulator'.
  --auth-base URL   Its authorization server address.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      ...ENDPOINT_OPTIONS,
      device: { type: 'boolean' },
      'client-id': { type: 'string' },
    })
    noPositionals(positionals)
    const endpoint = endpointFromFlags(values)
    const account = commandAccountService(io.stdout)
    try {
      if (values['client-id']) await account.saveApiKey(values['client-id'], endpoint)
      const status = await account.connect({ mode: values.device ? 'device' : 'browser', endpoint }, (prompt) => {
        io.stdout(
          `Go to ${prompt.verificationUri} and enter the code ${prompt.userCode}\n(it works until ${prompt.expiresAt.toLocaleTimeString()}). Waiting for you to approve…\n`,
        )
      })
      io.stdout(describeStatus(status))
      return EXIT.ok
    } finally {
      await account.close()
    }
  },
}
