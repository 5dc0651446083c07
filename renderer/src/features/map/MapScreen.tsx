import { Button, Card, Group, Stack, Text, Title } from '@mantine/core'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { FlagValuesTable } from '../prepare/FlagValuesTable'
import { ConflictRule } from './ConflictRule'
import { GroupNames } from './GroupNames'
import { KeyColumns } from './KeyColumns'
import { MappingPreview } from './MappingPreview'
import { OtherColumns } from './OtherColumns'
import {
  chooseFlagPlacement,
  chooseKeyColumn,
  chooseTarget,
  draftFromSuggestion,
  FLAG_LIKE_VALUES,
  flagColumnDoubt,
  nameGroup,
} from '../prepare/mapping'
import { usePrepareSession, type LoadedFile, type PrepareSession } from '../prepare/session'
import { LockedChoices } from '../prepare/LockedChoices'
import { CarriedOverChoices } from '../jobs/next-file'
import { LastRunNote } from './LastRunNote'

/**
 * Step 3: the person confirms or changes which column holds the addresses and which the flag,
 * where each flag value goes, the groups' names and what else is sent, watching a preview of the
 * first rows follow every change.
 */
export function MapScreen({ onBack, onContinue }: { onBack(): void; onContinue(): void }) {
  const session = usePrepareSession()
  const { loaded, updateDraft, blockers } = session
  if (!loaded) {
    return (
      <Stack>
        <Title order={2}>Choose the columns</Title>
        <Text>Open a spreadsheet first.</Text>
        <Button w="fit-content" onClick={onBack}>
          Back to Import
        </Button>
      </Stack>
    )
  }
  const { inspection, draft } = loaded
  const flagColumnName = inspection.columns[draft.flagColumn]?.name
  const flagDoubt =
    flagColumnName !== undefined && draft.flagColumn >= 0 ? flagColumnDoubt(flagColumnName, loaded.flagSample) : null

  return (
    <Stack gap="lg">
      <Title order={2}>Choose the columns</Title>
      {session.problem && <ProblemAlert problem={session.problem} onClose={session.dismissProblem} />}
      {draft.lastRun && (
        <LastRunNote lastRun={draft.lastRun} onSuggestions={() => updateDraft(() => draftFromSuggestion(inspection))} />
      )}

      <CarriedOverChoices />
      <LockedChoices>
        <Card withBorder>
          <Stack>
            <Title order={3}>Addresses and flag</Title>
            <KeyColumns
              inspection={inspection}
              draft={draft}
              flagDoubt={flagDoubt}
              onChoose={(role, column) => updateDraft((d) => chooseKeyColumn(d, role, column, inspection.columns))}
            />
          </Stack>
        </Card>

        <TheTwoGroups loaded={loaded} updateDraft={updateDraft} flagDoubt={flagDoubt} />

        <Card withBorder>
          <Stack>
            <Title order={3}>Other columns</Title>
            <Text size="sm">
              Choose what else goes to Constant Contact with each address. Columns you don’t send stay only in your
              spreadsheet.
            </Text>
            <OtherColumns
              inspection={inspection}
              draft={draft}
              onChange={(column, target) => updateDraft((d) => chooseTarget(d, column, target))}
            />
          </Stack>
        </Card>
      </LockedChoices>

      <Card withBorder>
        <Stack>
          <Title order={3}>Preview</Title>
          <Text size="sm">
            Where the first rows go with these choices. Duplicates further down the file are found on the Review step.
          </Text>
          <MappingPreview inspection={inspection} draft={draft} />
        </Stack>
      </Card>

      <Group justify="space-between" align="center" wrap="nowrap">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Group gap="md" wrap="nowrap" justify="flex-end">
          {blockers.length > 0 && (
            <Text size="sm" ta="right" id="map-continue-blocked" data-testid="continue-blocked">
              {blockers.join(' ')}
            </Text>
          )}
          <Button
            size="md"
            onClick={onContinue}
            disabled={blockers.length > 0}
            style={{ flexShrink: 0 }}
            {...(blockers.length > 0 ? { 'aria-describedby': 'map-continue-blocked' } : {})}
          >
            Continue: review the groups
          </Button>
        </Group>
      </Group>
    </Stack>
  )
}

/**
 * The groups' names, where each flag value's rows go, and what happens to an address marked both
 * ways. A column that doesn't look like the flag shows only its first values (the picker says why).
 */
function TheTwoGroups({
  loaded: { inspection, draft, flagSample, blankSample },
  updateDraft,
  flagDoubt,
}: {
  loaded: LoadedFile
  updateDraft: PrepareSession['updateDraft']
  flagDoubt: string | null
}) {
  const shown = flagDoubt ? flagSample.slice(0, FLAG_LIKE_VALUES) : flagSample
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>The two groups</Title>
        <GroupNames
          names={draft.groupNames}
          chosenBy={draft.namesChosenBy}
          flagColumn={inspection.columns[draft.flagColumn]?.name ?? null}
          onChange={(group, name) => updateDraft((d) => nameGroup(d, group, name))}
        />
        <Title order={4}>Flag values</Title>
        {draft.flagColumn < 0 ? (
          <Text c="dimmed">Choose the flag column to see its values.</Text>
        ) : flagSample.length === 0 && blankSample === 0 ? (
          <Text c="dimmed">The flag column is empty in the first rows.</Text>
        ) : (
          <>
            <Text size="sm">
              Values found in the flag column{inspection.complete ? '' : ' near the top of the file'}. The whole file’s
              values are counted on the Review step, where you can assign any others.
            </Text>
            <FlagValuesTable
              values={shown}
              blanks={flagDoubt ? 0 : blankSample}
              draft={draft}
              countTitle={inspection.complete ? 'Rows' : 'Rows near the top'}
              onPlace={(value, placement) => updateDraft((d) => chooseFlagPlacement(d, value, placement))}
            />
            {shown.length < flagSample.length && (
              <Text size="sm" c="dimmed">
                And {flagSample.length - shown.length} more values, not shown: this column doesn’t look like the flag.
              </Text>
            )}
          </>
        )}
        <ConflictRule value={draft.onConflict} onChange={(onConflict) => updateDraft((d) => ({ ...d, onConflict }))} />
      </Stack>
    </Card>
  )
}
