import { Select, Stack, Text } from '@mantine/core'
import { campaignOptions, SKIP } from './send-plan'
import type { CampaignChoice } from './types'
import { campaignStatusWords, formatDateTime } from './words'

/**
 * One group's campaign: every campaign of the account, newest change first, searchable by name, with
 * its status and last change. Campaigns that can't be sent are shown but can't be picked, and say why.
 */
export function CampaignPicker({
  groupName,
  campaigns,
  value,
  onChange,
  disabled,
}: {
  groupName: string
  campaigns: CampaignChoice[]
  value: string | null
  onChange(value: string): void
  disabled?: boolean
}) {
  const byId = new Map(campaigns.map((c) => [c.campaignId, c]))
  const data = campaignOptions(campaigns)
  const chosen = value && value !== SKIP ? byId.get(value) : undefined

  return (
    <Stack gap={4}>
      <Select
        label={`Campaign for “${groupName}”`}
        description="Newest first. Type to search by name."
        placeholder="Choose a campaign"
        data={data}
        value={value}
        onChange={(next) => next !== null && onChange(next)}
        allowDeselect={false}
        searchable
        disabled={disabled}
        nothingFoundMessage="No campaign has that in its name."
        maxDropdownHeight={360}
        renderOption={({ option }) => {
          const campaign = byId.get(option.value)
          if (!campaign) return <Text size="sm">{option.label}</Text>
          return (
            <Stack gap={0}>
              <Text size="sm" fw={500}>
                {campaign.name}
              </Text>
              <Text size="xs" c="dimmed">
                {campaignStatusWords(campaign.status)}
                {campaign.updatedAt ? ` · last changed ${formatDateTime(campaign.updatedAt)}` : ''}
              </Text>
              {campaign.notSelectableReason && (
                <Text size="xs" c="dimmed">
                  Can’t be chosen: {campaign.notSelectableReason}
                </Text>
              )}
            </Stack>
          )
        }}
      />
      {chosen && (
        <Text size="sm" c="dimmed" data-testid="chosen-campaign-status">
          {campaignStatusWords(chosen.status)}
          {chosen.updatedAt ? ` · last changed ${formatDateTime(chosen.updatedAt)}` : ''}
        </Text>
      )}
    </Stack>
  )
}
