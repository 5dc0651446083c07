import { Button, Group, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useApi } from '../../common/api/client'
import { useAction } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { GROUP_KEYS, type GroupKey } from '../../../../shared/ids'
import { checkEmail } from '../../../../shared/prepare/email'
import type { Routine } from './types'

type Limits = Routine['safety']

/** After a change, every routines answer is read again (the list, this routine's details). */
function useRoutineChange<N extends 'routines.update' | 'routines.delete'>(name: N, onDone?: () => void) {
  const queryClient = useQueryClient()
  return useAction(name, {
    onSuccess: () => {
      void queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('routines.') })
      onDone?.()
    },
  })
}

/** Where next month's file comes from: a folder and a file-name pattern, or none (drop or pick it). */
export function SourceFolderForm({ routine }: { routine: Routine }) {
  const api = useApi()
  const update = useRoutineChange('routines.update')
  const [folder, setFolder] = useState(routine.source?.folder ?? '')
  const [pattern, setPattern] = useState(routine.source?.pattern ?? '*.xlsx')
  const patternProblem = /[/\\]/.test(pattern) ? 'Only a file name pattern, without a folder' : null
  const choose = async () => {
    const choice = await api.call('dialog.chooseFolder', { title: 'Folder where next month’s file arrives' })
    if (choice.folder) setFolder(choice.folder)
  }
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Next month’s file
      </Title>
      <Text size="sm">
        With a folder, the next run offers the newest file there whose name matches the pattern (* stands for any
        letters) and that hasn’t been run yet; a scheduled run takes it.
      </Text>
      <Group align="flex-end">
        <TextInput
          label="Folder"
          value={folder}
          onChange={(e) => setFolder(e.currentTarget.value)}
          style={{ flex: 2 }}
          placeholder="/home/me/Exports"
        />
        <Button variant="default" onClick={() => void choose()}>
          Choose…
        </Button>
        <TextInput
          label="File name pattern"
          value={pattern}
          onChange={(e) => setPattern(e.currentTarget.value)}
          error={patternProblem}
          style={{ flex: 1 }}
        />
      </Group>
      <Group>
        <Button
          onClick={() =>
            update.mutate({ name: routine.name, source: { folder: folder.trim(), pattern: pattern.trim() } })
          }
          disabled={!folder.trim() || !pattern.trim() || patternProblem !== null}
          loading={update.isPending}
        >
          Use this folder
        </Button>
        {routine.source && (
          <Button variant="default" onClick={() => update.mutate({ name: routine.name, source: null })}>
            No folder: I drop or pick the file
          </Button>
        )}
      </Group>
      {update.error && <ProblemAlert problem={update.error} onClose={update.reset} />}
    </Stack>
  )
}

/** When an unattended run stops (and the app warns) instead of mailing people. */
export function SafetyLimitsForm({ routine }: { routine: Routine }) {
  const update = useRoutineChange('routines.update')
  const [limits, setLimits] = useState<Limits>(routine.safety)
  const minimumKind = 'rows' in limits.minimumRows ? 'rows' : 'percent'
  const minimumValue = 'rows' in limits.minimumRows ? limits.minimumRows.rows : limits.minimumRows.percentOfLastRun
  const number = (value: string | number) => (typeof value === 'number' ? value : Number(value) || 0)
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Safety limits
      </Title>
      <Text size="sm">
        A scheduled run stops, and mails nobody, when the file goes past one of these; in the app they are warnings
        before Review.
      </Text>
      <Group align="flex-end">
        <NumberInput
          label="Most problem rows (%)"
          min={0}
          max={100}
          value={limits.maxProblemPercent}
          onChange={(v) => setLimits((l) => ({ ...l, maxProblemPercent: number(v) }))}
        />
        <NumberInput
          label="Largest change of a group since the last run (%)"
          min={0}
          max={100000}
          value={limits.maxGroupChangePercent}
          onChange={(v) => setLimits((l) => ({ ...l, maxGroupChangePercent: number(v) }))}
        />
        <Select
          label="Fewest rows"
          data={[
            { value: 'percent', label: '% of the last run’s rows' },
            { value: 'rows', label: 'A number of rows' },
          ]}
          value={minimumKind}
          allowDeselect={false}
          onChange={(kind) =>
            setLimits((l) => ({
              ...l,
              minimumRows: kind === 'rows' ? { rows: minimumValue } : { percentOfLastRun: Math.min(100, minimumValue) },
            }))
          }
        />
        <NumberInput
          label={minimumKind === 'rows' ? 'Rows' : 'Percent'}
          min={0}
          max={minimumKind === 'rows' ? undefined : 100}
          value={minimumValue}
          onChange={(v) =>
            setLimits((l) => ({
              ...l,
              minimumRows: minimumKind === 'rows' ? { rows: number(v) } : { percentOfLastRun: number(v) },
            }))
          }
        />
      </Group>
      <Group>
        <Button
          variant="default"
          onClick={() => update.mutate({ name: routine.name, safety: limits })}
          loading={update.isPending}
        >
          Save the limits
        </Button>
      </Group>
      {update.error && <ProblemAlert problem={update.error} onClose={update.reset} />}
    </Stack>
  )
}

/** The addresses a test goes to before each run's real send, per group the routine sends to. */
export function TestAddressesForm({ routine }: { routine: Routine }) {
  const update = useRoutineChange('routines.update')
  const sent = GROUP_KEYS.filter((group) => routine.sending[group].send)
  const [texts, setTexts] = useState<Record<GroupKey, string>>(() => ({
    '0': addressesOf(routine, '0').join(', '),
    '1': addressesOf(routine, '1').join(', '),
  }))
  if (sent.length === 0) return null
  const problems = Object.fromEntries(GROUP_KEYS.map((g) => [g, testAddressesProblem(texts[g])])) as Record<
    GroupKey,
    string | null
  >
  const save = () =>
    update.mutate({
      name: routine.name,
      testAddresses: Object.fromEntries(sent.map((g) => [g, splitAddresses(texts[g])])),
    })
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Test addresses
      </Title>
      <Text size="sm">
        Before each run’s real send, a test of the group’s message goes to these addresses (up to 5, separated by
        commas). Leave it empty for no test.
      </Text>
      {sent.map((group) => (
        <TextInput
          key={group}
          label={`Test addresses for “${routine.groupNames[group]}”`}
          value={texts[group]}
          onChange={(e) => {
            const text = e.currentTarget.value
            setTexts((t) => ({ ...t, [group]: text }))
          }}
          error={problems[group]}
          placeholder="office@example.com"
        />
      ))}
      <Group>
        <Button
          variant="default"
          onClick={save}
          disabled={sent.some((g) => problems[g] !== null)}
          loading={update.isPending}
        >
          Save the test addresses
        </Button>
      </Group>
      {update.isSuccess && (
        <Text size="sm" role="status">
          The test addresses are saved.
        </Text>
      )}
      {update.error && <ProblemAlert problem={update.error} onClose={update.reset} />}
    </Stack>
  )
}

function addressesOf(routine: Routine, group: GroupKey): string[] {
  const sending = routine.sending[group]
  return sending.send ? sending.testAddresses : []
}

function splitAddresses(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '')
}

/** What is wrong with the typed addresses, in words, or null. */
function testAddressesProblem(text: string): string | null {
  const addresses = splitAddresses(text)
  if (addresses.length > 5)
    return `Constant Contact sends a test to 5 addresses at most; there are ${addresses.length}.`
  const wrong = addresses.find((a) => checkEmail(a).kind !== 'valid')
  return wrong === undefined ? null : `“${wrong}” is not an email address.`
}

/** Deleting the routine (its runs' job folders and reports stay), after a second press. */
export function DeleteRoutine({ routine, onDeleted }: { routine: Routine; onDeleted(): void }) {
  const remove = useRoutineChange('routines.delete', onDeleted)
  const [asked, setAsked] = useState(false)
  return (
    <Stack gap="xs">
      <Group>
        {asked ? (
          <>
            <Button color="red" onClick={() => remove.mutate({ name: routine.name })} loading={remove.isPending}>
              Delete “{routine.name}” for good
            </Button>
            <Button variant="default" onClick={() => setAsked(false)}>
              Keep it
            </Button>
          </>
        ) : (
          <Button variant="default" color="red" onClick={() => setAsked(true)}>
            Delete the routine…
          </Button>
        )}
      </Group>
      {asked && <Text size="sm">Its history goes with it; the job folders and reports of its runs stay.</Text>}
      {remove.error && <ProblemAlert problem={remove.error} onClose={remove.reset} />}
    </Stack>
  )
}
