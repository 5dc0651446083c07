import { DEFAULT_SAFETY_LIMITS, type Routine } from '../../../shared/routines/schema'
import type { RunRecord } from '../../../shared/routines/history'

/** A fresh temporary folder, removed after the test. */
export { tempDir } from '../prepare/helpers'

/** A complete routine as Splitsend saves it (version 2), with `overrides` on top. */
export function sampleRoutine(overrides: Partial<Routine> = {}): Routine {
  return {
    version: 2,
    name: 'Monthly app-usage mailing',
    createdAt: '2025-05-03T08:00:00.000Z',
    updatedAt: '2025-05-03T08:00:00.000Z',
    account: { endpoint: 'practice' },
    reading: { format: 'csv', headerRow: 1, encoding: 'utf-8', delimiter: ',' },
    mapping: {
      emailColumn: 'Email',
      flagColumn: 'Uses app',
      fields: [
        { column: 'First name', target: { kind: 'field', field: 'first_name' } },
        { column: 'Region', target: { kind: 'custom', name: 'region' } },
        { column: 'Notes', target: { kind: 'ignore' } },
      ],
    },
    flags: { group0Values: [], group1Values: ['active'], leaveOutValues: ['test'], blank: 'problem' },
    onConflict: 'exclude',
    groupNames: { '0': 'Not using the app', '1': 'Uses the app' },
    lists: {
      '0': { listId: 'list-0', name: 'App: not using', createIfMissing: true },
      '1': { listId: 'list-1', name: 'App: using', createIfMissing: false },
      policy: 'move',
    },
    sending: {
      '0': {
        send: true,
        campaign: { id: 'c0', name: 'Try the app' },
        sendAt: '09:30',
        testAddresses: ['office@example.com'],
      },
      '1': { send: false },
    },
    source: { folder: '/srv/exports', pattern: 'usage-*.csv' },
    safety: DEFAULT_SAFETY_LIMITS,
    ...overrides,
  }
}

/** A finished run record for history-based checks. */
export function sampleRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: 'run-00000001',
    startedAt: '2025-05-03T08:00:00.000Z',
    finishedAt: '2025-05-03T08:10:00.000Z',
    source: { fileName: 'usage-may.csv', path: '/srv/exports/usage-may.csv', sha256: 'a'.repeat(64) },
    counts: { rows: 5_120, groups: { '0': 1_700, '1': 3_410 }, problems: 10 },
    outcome: { kind: 'done' },
    exitCode: 0,
    ...overrides,
  }
}
