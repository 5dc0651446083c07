import { Alert, Text } from '@mantine/core'
import type { BridgeConnection } from '../../../shared/contract'

/**
 * Said at once when the background service (`npm run web`) stops: what is on screen is not live
 * until it is back, and the page connects again by itself.
 */
export function ConnectionBanner({ state }: { state: BridgeConnection }) {
  if (state === 'connected') return null
  return (
    <Alert
      color="red"
      role="alert"
      mb="md"
      data-testid="connection-lost"
      title={
        state === 'refused'
          ? 'Splitsend’s background service was started again with a new access key.'
          : 'Splitsend’s background service has stopped.'
      }
    >
      <Text size="sm">
        {state === 'refused'
          ? 'Open the address “npm run web” printed when it started. An upload that was under way can be continued where it stopped, and nothing is sent twice.'
          : 'Nothing on this page is up to date until it runs again: start it again with “npm run web”. This page then connects again by itself and shows where everything stands; an upload that was under way can be continued where it stopped, and nothing is sent twice.'}
      </Text>
    </Alert>
  )
}
