import { Box, Stack, Table, Text } from '@mantine/core'
import { useMemo } from 'react'
import type { CampaignDetails } from './types'
import { previewDocument } from './email-preview'
import { formatDateTime } from './words'

/**
 * What the campaign will look like: subject, sender and the email itself. The email's HTML is shown
 * in a frame that can't run scripts, submit forms, reach the app or load anything from the network.
 */
export function CampaignPreview({ details }: { details: CampaignDetails }) {
  const srcDoc = useMemo(() => previewDocument(details.html), [details.html])
  return (
    <Stack gap="sm">
      <Table variant="vertical" layout="fixed" withTableBorder aria-label={`About “${details.name}”`}>
        <Table.Tbody>
          <Row label="Subject" value={details.subject} testId="campaign-subject" />
          {details.preheader && <Row label="Preview text" value={details.preheader} />}
          <Row label="From" value={`${details.fromName} <${details.fromEmail}>`} testId="campaign-from" />
          <Row label="Replies go to" value={details.replyToEmail} />
          {details.timesSent > 0 && (
            <Row
              label="Sent before"
              value={`${details.timesSent} time${details.timesSent === 1 ? '' : 's'}${details.lastSentAt ? `, last on ${formatDateTime(details.lastSentAt)}` : ''}`}
            />
          )}
        </Table.Tbody>
      </Table>
      {details.html.trim() ? (
        <Box
          style={{
            border: '1px solid var(--mantine-color-default-border)',
            borderRadius: 'var(--mantine-radius-md)',
            overflow: 'hidden',
            background: 'white',
          }}
        >
          <iframe
            title={`Preview of the email “${details.subject}”`}
            sandbox=""
            srcDoc={srcDoc}
            referrerPolicy="no-referrer"
            style={{ display: 'block', width: '100%', height: 420, border: 0 }}
            data-testid="campaign-preview"
          />
        </Box>
      ) : (
        <Text size="sm">This campaign’s email has no content Splitsend can show.</Text>
      )}
      <Text size="xs" c="dimmed">
        The preview shows the email without pictures or fonts from the internet, so it may look plainer than in people’s
        inboxes.
      </Text>
    </Stack>
  )
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Table.Tr>
      <Table.Th w={140}>{label}</Table.Th>
      <Table.Td data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Table.Td>
    </Table.Tr>
  )
}
