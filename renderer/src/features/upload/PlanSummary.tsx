import { Alert, Card, List, Stack, Text, Title } from '@mantine/core'
import type { UploadPlan } from './types'
import { CautionAlert } from '../../common/components/CautionAlert'
import { countOf } from '../../common/words'
import { planSentences, roughDuration } from './words'

/** The plan in plain words, before anything is sent: contacts → list, how many imports, how long. */
export function PlanSummary({ plan }: { plan: Omit<UploadPlan, 'planId' | 'membership'> }) {
  const newFields = plan.customFields.filter((f) => !f.exists)
  return (
    <Card withBorder data-testid="upload-plan">
      <Stack gap="sm">
        <Title order={3}>What will happen</Title>
        <List spacing={4}>
          {planSentences(plan).map((sentence) => (
            <List.Item key={sentence}>{sentence}</List.Item>
          ))}
        </List>
        <Text data-testid="plan-totals">
          In all: {countOf(plan.totals.contacts, 'contact')} in {countOf(plan.totals.activities, 'import')} to Constant
          Contact, taking {roughDuration(plan.estimatedSeconds)}.
        </Text>
        {plan.customFields.length > 0 && (
          <Text size="sm">
            Extra columns sent as custom fields:{' '}
            {plan.customFields.map((f) => `“${f.label}”${f.exists ? '' : ' (new)'}`).join(', ')}.
            {newFields.length > 0 && plan.createCustomFields
              ? ' The new ones are created in Constant Contact first.'
              : ''}
          </Text>
        )}
        <CautionAlert title="Before you start" items={plan.warnings} />
        {plan.blockers.length > 0 && (
          <Alert color="red" title="The upload can’t start yet" role="alert">
            <List size="sm">
              {plan.blockers.map((b) => (
                <List.Item key={b}>{b}</List.Item>
              ))}
            </List>
          </Alert>
        )}
      </Stack>
    </Card>
  )
}
