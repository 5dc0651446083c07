import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { BridgeConnection } from '../../../../shared/contract'
import { useApi } from './client'

/**
 * Whether Splitsend's background service is there (the web bridge can stop; the desktop app's
 * can't). When it comes back, everything on screen is read again: whatever happened meanwhile (an
 * upload that went on, or stopped with the service) is shown as it is now.
 */
export function useBridgeConnection(): BridgeConnection {
  const api = useApi()
  const client = useQueryClient()
  const [state, setState] = useState<BridgeConnection>('connected')
  useEffect(
    () =>
      api.onConnectionChange((next) => {
        setState(next)
        if (next === 'connected') void client.invalidateQueries()
      }),
    [api, client],
  )
  return state
}
