import { ConstantContactError } from '../constant-contact/errors'

/**
 * Why a sign-in can't work with the application as it is set up in Constant Contact's developer
 * portal, in words for the person and their administrator. The codes tell the Connect screen (and
 * `splitsend login`) which other way to offer.
 */

/** The application is set up for the device flow: the browser sign-in can't work with it. */
export function appSetUpForDevice(redirectUri: string): ConstantContactError {
  return new ConstantContactError(
    'cc_app_set_up_for_device',
    'This Constant Contact application is set up for signing in with a code, so signing in in the browser can’t work with it.',
    `Sign in with a code instead. (To sign in in the browser, your administrator can set up an application for the PKCE flow in Constant Contact’s developer portal, with the redirect URI ${redirectUri}.)`,
  )
}

/** The application is set up for the browser sign-in (PKCE): the device flow can't work with it. */
export function appSetUpForBrowser(): ConstantContactError {
  return new ConstantContactError(
    'cc_app_set_up_for_browser',
    'This Constant Contact application is set up for signing in in the browser, so signing in with a code can’t work with it.',
    'Connect in your browser instead.',
  )
}

/** Constant Contact refused to send the browser back to this address: it isn't registered. */
export function redirectNotRegistered(redirectUri: string): ConstantContactError {
  return new ConstantContactError(
    'cc_redirect_not_registered',
    `Constant Contact refused the sign-in: the redirect address ${redirectUri} isn’t registered for this application.`,
    `In Constant Contact’s developer portal, add exactly ${redirectUri} to the application’s redirect URIs, or change Splitsend’s redirect address to one that is registered there. Then connect again.`,
  )
}

/** Constant Contact doesn't know the API key (client ID). */
export function unknownApiKey(): ConstantContactError {
  return new ConstantContactError(
    'cc_sign_in_failed',
    'Constant Contact doesn’t recognise Splitsend’s API key.',
    'Copy the API key (client ID) of the application from Constant Contact’s developer portal again, enter it, and connect again.',
  )
}

/** Whether an OAuth error code says the application isn't allowed this kind of sign-in. */
export function isWrongFlow(error: string): boolean {
  return error === 'unauthorized_client'
}

/**
 * Constant Contact's sign-in server gave no answer at all (no internet): the sign-in page would
 * never load in the browser, and Splitsend would wait for it forever.
 */
export function signInUnreachable(): ConstantContactError {
  return new ConstantContactError(
    'cc_unreachable',
    'Splitsend can’t reach Constant Contact, so it can’t sign you in.',
    'Check that this computer is connected to the internet, then press Connect again. In the meantime you can prepare your spreadsheet, or try the practice account.',
  )
}
