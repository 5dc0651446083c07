import { Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useAction } from '../../common/api/queries'
import { PageModal } from '../../common/components/PageModal'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { useRoutineRuns } from './routine-run'

/**
 * "Save as a routine" (or "Update routine" when the run came from one): the run's choices — how the
 * file was read, the mapping by column name, flag values, conflict rule, group names, the lists,
 * the campaigns and the account — saved under a name for next month's file.
 */
export function SaveAsRoutine({ jobId }: { jobId: string }) {
  const runs = useRoutineRuns()
  const routine = runs.routineOfJob(jobId)
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const save = useAction('routines.save', { onSuccess: (saved) => runs.adopt(saved) })
  const [saved, setSaved] = useState<string | null>(null)

  const submit = (replace: boolean, routineName: string) =>
    save.mutate(
      { name: routineName, jobId, replace },
      {
        onSuccess: (result) => {
          setOpen(false)
          setSaved(
            replace
              ? `The routine “${result.name}” now has this run’s choices.`
              : `Saved as the routine “${result.name}”. Next month, run it from the Import step with the new file.`,
          )
        },
      },
    )

  return (
    <Stack gap="xs">
      <Group>
        {routine ? (
          <Button variant="default" onClick={() => submit(true, routine.name)} loading={save.isPending}>
            Update routine “{routine.name}”
          </Button>
        ) : (
          <Button variant="default" onClick={() => setOpen(true)}>
            Save as a routine…
          </Button>
        )}
      </Group>
      {saved && (
        <Text size="sm" role="status">
          {saved}
        </Text>
      )}
      {!open && save.error && <ProblemAlert problem={save.error} onClose={save.reset} />}
      <PageModal opened={open} onClose={() => setOpen(false)} title="Save as a routine">
        <form
          onSubmit={(event) => {
            event.preventDefault()
            if (name.trim()) submit(false, name.trim())
          }}
        >
          <Stack>
            <Text size="sm">
              Next month’s file then goes through the same split, lists and campaigns: you only check and confirm.
            </Text>
            <TextInput
              label="Name of the routine"
              placeholder="Monthly app-usage mailing"
              value={name}
              maxLength={100}
              onChange={(event) => setName(event.currentTarget.value)}
              data-autofocus
            />
            {save.error && <ProblemAlert problem={save.error} onClose={save.reset} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!name.trim()} loading={save.isPending}>
                Save the routine
              </Button>
            </Group>
          </Stack>
        </form>
      </PageModal>
    </Stack>
  )
}

/**
 * Keeps the routine's history up to date with this job (its counts, outcome and sends), when the
 * job is a run of a routine: asked again whenever `version` changes (an upload ending, a send).
 */
export function useRecordRoutineRun(jobId: string | null, version: string | null) {
  const runs = useRoutineRuns()
  const routine = runs.routineOfJob(jobId)
  const queryClient = useQueryClient()
  const record = useAction('routines.recordRun', {
    onSuccess: () =>
      void queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('routines.') }),
  })
  const name = routine?.name ?? null
  const { mutate } = record
  useEffect(() => {
    if (name && jobId && version !== null) mutate({ name, jobId })
  }, [name, jobId, version, mutate])
}
