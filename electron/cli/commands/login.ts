import { EXIT, type CliCommand } from '../command'
import { noPositionals, parseCommandLine, readingCommandLine, usageError } from '../command-line'
import { ConstantContactError, type CcErrorCode } from '../../services/constant-contact/errors'
import { DEFAULT_REDIRECT, parseRedirectUri, redirectUriOf } from '../../services/account/redirect'
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
                       [--redirect-uri URI]

Connects Splitsend to a Constant Contact account. The sign-in is kept in this computer's keychain,
shared with the Splitsend app.

  --client-id ID       The app's Constant Contact API key (also called client ID); saved for next time.
  --redirect-uri URI   The redirect URI registered for the app in Constant Contact's developer portal:
                       ${redirectUriOf(DEFAULT_REDIRECT)} (the default) or another port, or
                       127.0.0.1 instead of localhost. Saved for next time.
  --device             Sign in with a code instead of a browser redirect (the app must be set up
                       for the device flow).
  --practice        Connect the practice account: a local Constant Contact on this computer.
  --api-base URL    Use another Constant Contact API address (with --auth-base), e.g. 'splitsend simulator'.
  --auth-base URL   Its authorization server address.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      ...ENDPOINT_OPTIONS,
      device: { type: 'boolean' },
      'client-id': { type: 'string' },
      'redirect-uri': { type: 'string' },
    })
    noPositionals(positionals)
    const endpoint = endpointFromFlags(values)
    const redirectUri = values['redirect-uri']
    if (redirectUri !== undefined && endpoint === 'practice')
      throw usageError('The practice account needs no redirect URI: leave out --redirect-uri.')
    const redirect = redirectUri === undefined ? undefined : readingCommandLine(() => parseRedirectUri(redirectUri))
    const account = commandAccountService(io.stdout)
    try {
      if (values['client-id']) await account.saveApiKey(values['client-id'], endpoint)
      if (redirect) await account.setRedirect(redirect, endpoint)
      const status = await account
        .connect({ mode: values.device ? 'device' : 'browser', endpoint }, (prompt) => {
          io.stdout(
            `Go to ${prompt.verificationUri} and enter the code ${prompt.userCode}\n(it works until ${new Date(prompt.expiresAt).toLocaleTimeString()}). Waiting for you to approve…\n`,
          )
        })
        .catch((error: unknown) => {
          throw inCommandWords(error)
        })
      io.stdout(describeStatus(status))
      return EXIT.ok
    } finally {
      await account.close()
    }
  },
}

/** The app's "use the other way" advice, as the command's options. */
function inCommandWords(error: unknown): unknown {
  if (!(error instanceof ConstantContactError)) return error
  const hint =
    error.code === 'cc_app_set_up_for_device'
      ? "Sign in with a code instead: run 'splitsend login --device'."
      : error.code === 'cc_app_set_up_for_browser'
        ? "Sign in in the browser instead: run 'splitsend login' without --device."
        : error.code === 'cc_redirect_not_registered'
          ? `${error.hint ?? ''} With this command, give the registered address with --redirect-uri.`.trim()
          : undefined
  return hint === undefined
    ? error
    : new ConstantContactError(error.code as CcErrorCode, error.message, hint, { cause: error })
}
