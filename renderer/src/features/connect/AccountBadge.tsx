import { Badge, UnstyledButton } from '@mantine/core'
import { useAccountStatus } from './account'

/** Which Constant Contact account the app is working with, always in view; a click opens Connect. */
export function AccountBadge({ onClick }: { onClick: () => void }) {
  const status = useAccountStatus().data
  if (!status) return null
  const label = status.connected
    ? status.practice
      ? 'Practice account (not real)'
      : `Connected: ${status.accountName ?? 'Constant Contact'}`
    : status.needsReconnect
      ? 'Sign-in ended: connect again'
      : 'Not connected to Constant Contact'
  const color = status.connected ? (status.practice ? 'violet' : 'teal') : status.needsReconnect ? 'red' : 'gray'
  return (
    <UnstyledButton onClick={onClick} aria-label={`${label}. Open the Connect step.`} data-testid="account-badge">
      <Badge
        size="lg"
        color={color}
        variant={status.connected ? 'filled' : 'light'}
        style={{ textTransform: 'none', cursor: 'pointer' }}
      >
        {label}
      </Badge>
    </UnstyledButton>
  )
}
