import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import { useAction } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { when } from '../../common/words'
import type { Job } from './types'
import { useRemoveJob } from './use-jobs'

/**
 * "Remove from the list" asks first, saying what goes with the job. A job with a report is removed
 * only with the button that names the report, and the report can be saved before.
 */
export function RemoveJob({ job, onClose }: { job: Job | null; onClose(): void }) {
  return (
    <Modal
      opened={job !== null}
      onClose={onClose}
      title={job ? `Remove “${job.sourceFile}” from the list?` : ''}
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close' }}
      // Inside the page's main landmark, so its header is not a second banner of the page.
      withinPortal={false}
    >
      {job && <RemoveBody job={job} onClose={onClose} />}
    </Modal>
  )
}

function RemoveBody({ job, onClose }: { job: Job; onClose(): void }) {
  const remove = useRemoveJob()
  const saveReport = useAction('report.save')
  const confirm = () => remove.mutate({ jobId: job.jobId, deleteReport: job.hasReport }, { onSuccess: onClose })
  return (
    <Stack>
      <Text>
        The job prepared {when(job.preparedAt)} is removed from Splitsend’s data folder:{' '}
        {job.hasReport
          ? 'its prepared groups, its upload and send records, and its report (report.html and report.csv).'
          : 'its prepared groups.'}{' '}
        Your spreadsheet and your Constant Contact lists are not touched.
      </Text>
      {job.hasReport && (
        <Group>
          <Text size="sm">Keep a copy of the report first?</Text>
          <Button
            variant="default"
            size="xs"
            onClick={() => saveReport.mutate({ jobId: job.jobId, file: 'html' })}
            loading={saveReport.isPending}
          >
            Save a copy of report.html…
          </Button>
          <Button
            variant="default"
            size="xs"
            onClick={() => saveReport.mutate({ jobId: job.jobId, file: 'csv' })}
            loading={saveReport.isPending}
          >
            Save a copy of report.csv…
          </Button>
        </Group>
      )}
      {saveReport.data?.saved && (
        <Text size="sm" role="status">
          {saveReport.data.path ? `Saved to ${saveReport.data.path}.` : 'The report was downloaded.'}
        </Text>
      )}
      {saveReport.error && <ProblemAlert problem={saveReport.error} onClose={saveReport.reset} />}
      {remove.error && <ProblemAlert problem={remove.error} onClose={remove.reset} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Keep it
        </Button>
        <Button color="red" onClick={confirm} loading={remove.isPending}>
          {job.hasReport ? 'Remove it and delete its report' : 'Remove it'}
        </Button>
      </Group>
    </Stack>
  )
}
