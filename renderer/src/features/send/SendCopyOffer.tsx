import { Alert, Button, Stack, Text } from '@mantine/core'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import type { CampaignCopy, GroupKey, PreflightResult } from './types'
import { useCopyCampaign } from './use-send'

/**
 * "Send a copy": shown when Constant Contact won't send the chosen campaign to the group's list as it
 * is (it was sent before, or its last send failed). Says what a copy keeps and loses; the copy is a
 * new draft named with today's date, made once (pressing again finds the same copy), and then chosen
 * for the group, so the checks and the send go on as for any campaign.
 */
export function SendCopyOffer({
  jobId,
  group,
  campaignId,
  offer,
  onCopied,
}: {
  jobId: string
  group: GroupKey
  campaignId: string
  offer: NonNullable<PreflightResult['copy']>
  onCopied(copy: CampaignCopy): void
}) {
  const copy = useCopyCampaign(jobId, onCopied)
  return (
    <Alert color="blue" title="Send a copy instead" styles={{ title: { color: 'var(--mantine-color-text)' } }}>
      <Stack gap="xs">
        <Text size="sm">{offer.keeps}</Text>
        <Text size="sm">{offer.loses}</Text>
        {offer.possible ? (
          <Button
            variant="filled"
            size="sm"
            w="fit-content"
            loading={copy.isPending}
            onClick={() => !copy.isPending && copy.mutate({ group, campaignId })}
          >
            Make a copy to send
          </Button>
        ) : (
          <Text size="sm" fw={600}>
            {offer.why}
          </Text>
        )}
        {copy.error && <ProblemAlert problem={copy.error} onClose={copy.reset} />}
      </Stack>
    </Alert>
  )
}
