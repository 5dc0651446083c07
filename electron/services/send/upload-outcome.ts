/**
 * Where the send step learns what the upload did: which list each group went to, how many contacts
 * it added, and whether it finished. The upload engine keeps that in its own journal; the adapter
 * that reads it lives in ./upload-journal-adapter.ts. Tests (and the app, if it already has the
 * answer) can pass their own source.
 */
import type { GroupKey } from '../../../shared/ids'
import type { UploadOutcome } from '../../../shared/send/schemas'

/** Reads the upload outcomes of a job folder; a group that wasn't uploaded is simply absent. */
export type UploadOutcomeSource = (jobDir: string) => Promise<UploadOutcome[]>

export async function uploadOutcomeFor(
  source: UploadOutcomeSource,
  jobDir: string,
  group: GroupKey,
): Promise<UploadOutcome | undefined> {
  return (await source(jobDir)).find((o) => o.group === group)
}

/** A fixed answer, e.g. from the app's own upload screen, or in tests. */
export function fixedUploadOutcomes(outcomes: UploadOutcome[]): UploadOutcomeSource {
  return async () => outcomes.map((o) => ({ ...o }))
}
