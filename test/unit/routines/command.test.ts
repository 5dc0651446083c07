import { readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../../electron/services/cc-simulator/index'
import { runCommand } from '../cli-run'
import { signedInCommandAccount } from '../command-account'
import { hashFile } from '../../../electron/services/routines/next-file'
import { RoutineStore } from '../../../electron/services/routines/store'
import { schedulerOptions } from '../../../electron/services/routines/schedule/index'
import { crontabScheduler } from '../../../electron/services/routines/schedule/crontab'
import { createRoutineCommand } from '../../../electron/cli/commands/routine'
import type { RunRecord } from '../../../shared/routines/history'
import { privateKeychain } from '../keychain'
import { CAMPAIGN_X, CAMPAIGN_Y } from '../send/helpers'
import { writeXlsx } from '../prepare/helpers'
import { tempDir } from './helpers'
import { recordingRunner } from './schedule-helpers'

// The command keeps its sign-in in the OS keychain: run under test/with-keychain.sh.
const inKeychainSession = process.env.SPLITSEND_IN_KEYCHAIN_SESSION === '1'
privateKeychain()

const run = runCommand

const NAME = 'Monthly app-usage mailing'

/** A month's export: email, flag, first name, region, notes — one row per [address, flag]. */
function monthFile(folder: string, fileName: string, rows: Array<[string, string]>, modified?: Date): string {
  const path = join(folder, fileName)
  const lines = rows.map(([email, flag], i) => `${email},${flag},Person ${i + 1},North,n/a`)
  writeFileSync(path, `Email,Uses app,First name,Region,Notes\n${lines.join('\n')}\n`)
  if (modified) utimesSync(path, modified, modified)
  return path
}

/** `count` addresses of one month: a0@…, a1@…; the flag of address i is `flag(i)`. */
function people(count: number, flag: (i: number) => string, domain = 'usage.example'): Array<[string, string]> {
  return Array.from({ length: count }, (_, i) => [`p${i}@${domain}`, flag(i)])
}

describe.skipIf(!inKeychainSession)('splitsend routine (local Constant Contact)', () => {
  let sim: RunningSimulator
  let endpointArgs: string[]
  let closeAccount: () => Promise<void>
  let dataDir: string
  let inbox: string
  let work: string
  let store: RoutineStore
  const savedDataDir = process.env.SPLITSEND_DATA_DIR
  /** Requests that change something in the account (anything but reading). */
  // A contact export is a POST but only reads the lists (what "move" and "match" compare).
  const changes = () =>
    sim.control.requests().filter((r) => r.method !== 'GET' && r.path !== '/activities/contact_exports').length
  const history = (): Promise<RunRecord[]> => store.history(NAME)
  const listIdOf = (name: string) => sim.control.snapshot().lists.find((l) => l.name === name)!.list_id

  beforeAll(async () => {
    dataDir = tempDir('routine-cli-data')
    process.env.SPLITSEND_DATA_DIR = dataDir
    store = new RoutineStore({ dataDir })
    inbox = tempDir('routine-cli-inbox')
    work = tempDir('routine-cli-work')
    ;({ sim, endpointArgs, close: closeAccount } = await signedInCommandAccount('routine-command-test'))

    // The first month, by hand: prepare (with --field), upload, send; then saved as a routine.
    const may = monthFile(
      inbox,
      'usage-may.csv',
      people(20, (i) => (i % 2 ? '1' : '0')),
      new Date(2025, 4, 2),
    )
    const job = join(work, 'may-job')
    const prepared = await run('prepare', may, '--out', job, '--field', 'Region=region', '--field', 'Notes=-')
    expect(prepared.code, prepared.stderr).toBe(0)
    const lists = ['--list-0', 'App: not using', '--list-1', 'App: using', '--create-lists', '--create-fields']
    const uploaded = await run('upload', job, ...lists, ...endpointArgs)
    expect(uploaded.code, uploaded.stderr).toBe(0)
    const sent = await run(
      'send',
      job,
      '--campaign-0',
      CAMPAIGN_X,
      '--campaign-1',
      CAMPAIGN_Y,
      '--now',
      ...endpointArgs,
    )
    expect(sent.code, sent.stdout + sent.stderr).toBe(0)
    const saved = await run(
      'routine',
      'save',
      NAME,
      '--from-job',
      job,
      '--folder',
      inbox,
      '--pattern',
      'usage-*.csv',
      ...endpointArgs,
    )
    expect(saved.code, saved.stderr).toBe(0)
    // The month the routine was saved from counts as its first successful run.
    const routine = await store.read(NAME)
    const record = await store.beginRun(NAME, {
      jobDir: job,
      source: { fileName: 'usage-may.csv', path: may, sha256: await hashFile(may) },
      counts: { rows: 20, groups: { '0': 10, '1': 10 }, problems: 0 },
    })
    await store.finishRun(NAME, record.runId, { outcome: { kind: 'done' } })
    expect(routine.lists['0'].name).toBe('App: not using')
  }, 120_000)

  afterAll(async () => {
    await closeAccount?.()
    if (savedDataDir === undefined) delete process.env.SPLITSEND_DATA_DIR
    else process.env.SPLITSEND_DATA_DIR = savedDataDir
  })

  it('prepare --field sends a column as a custom field and leaves a suggested one out', () => {
    const summary = JSON.parse(readFileSync(join(work, 'may-job', 'summary.json'), 'utf8'))
    expect(summary.mapping.fields).toContainEqual({ column: 3, target: { kind: 'custom', name: 'region' } })
    expect(summary.mapping.fields.some((f: { column: number }) => f.column === 4)).toBe(false)
    expect(summary.outputColumns).toContain('cf:region')
  })

  it('prepare --field: a contact field by its label, and mistakes as usage errors', async () => {
    const may = join(inbox, 'usage-may.csv')
    const out = join(work, 'field-job')
    const byLabel = await run('prepare', may, '--out', out, '--field', 'Notes=Job title', '--json')
    expect(byLabel.code, byLabel.stderr).toBe(0)
    expect(JSON.parse(byLabel.stdout).mapping.fields).toContainEqual({
      column: 4,
      target: { kind: 'field', field: 'job_title' },
    })
    const noEquals = await run('prepare', may, '--out', out, '--field', 'Region')
    expect(noEquals.code).toBe(2)
    expect(noEquals.stderr).toContain('--field "Region" should be written "<column>=<Constant Contact field>"')
    const emailColumn = await run('prepare', may, '--out', out, '--field', 'Email=first_name')
    expect(emailColumn.code).toBe(2)
    expect(emailColumn.stderr).toContain('“Email” is the email column')
    const noColumn = await run('prepare', may, '--out', out, '--field', 'Town=city')
    expect(noColumn.code).toBe(2)
    expect(noColumn.stderr).toContain('There is no column "Town"')
  })

  it('saves the routine from the job: reading, mapping by name, lists, campaigns, account', async () => {
    const routine = await store.read(NAME)
    expect(routine.mapping).toEqual({
      emailColumn: 'Email',
      flagColumn: 'Uses app',
      fields: [
        { column: 'First name', target: { kind: 'field', field: 'first_name' } },
        { column: 'Region', target: { kind: 'custom', name: 'region' } },
        { column: 'Notes', target: { kind: 'ignore' } },
      ],
    })
    expect(routine.lists['1']).toEqual({ listId: listIdOf('App: using'), name: 'App: using', createIfMissing: true })
    // May was the lists' first upload (only adding was possible): the months after it move the
    // customers whose flag changed.
    expect(routine.lists.policy).toBe('move')
    expect(routine.sending['0']).toMatchObject({ send: true, campaign: { name: CAMPAIGN_X }, sendAt: 'now' })
    expect(routine.account).toEqual({ endpoint: 'custom', apiBase: sim.apiBase, authBase: sim.authBase })
    const shown = await run('routine', 'show', NAME)
    expect(shown.stdout).toContain(`campaign “${CAMPAIGN_Y}” sent at once`)
    expect(shown.stdout).toContain('Next run: Every file in')
  })

  it('refuses a second save of the same name, and usage mistakes with exit 2', async () => {
    const again = await run('routine', 'save', NAME, '--from-job', join(work, 'may-job'), ...endpointArgs)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`There is already a routine named “${NAME}”.`)
    expect((await run('routine', 'run', NAME, '--again')).code).toBe(2)
    expect((await run('routine', 'frobnicate')).code).toBe(2)
    const badDay = await run('routine', 'schedule', NAME, '--monthly', '31', '--at', '07:00', '--print')
    expect(badDay.code).toBe(2)
    expect(badDay.stderr).toContain('--monthly should be a day of the month from 1 to 28')
  })

  it('a dry run prepares and plans, and changes nothing in the account or the history', async () => {
    // June: other people, some flags flipped.
    monthFile(inbox, 'usage-june.csv', june(), new Date(2025, 5, 2))
    const before = changes()
    const dry = await run('routine', 'run', NAME, '--dry-run', '--json')
    expect(dry.code, dry.stdout + dry.stderr).toBe(0)
    const lines = dry.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown })
    expect(lines.map((l) => l.type)).toEqual(['file', 'prepared', 'plan', 'result'])
    expect(lines[0]).toMatchObject({ fileName: 'usage-june.csv' })
    const plan = lines[2] as unknown as { sends: Array<{ campaign: { name: string }; listName: string }> }
    expect(plan.sends.map((s) => [s.campaign.name, s.listName])).toEqual([
      [CAMPAIGN_X, 'App: not using'],
      [CAMPAIGN_Y, 'App: using'],
    ])
    expect(lines[3]).toMatchObject({ dryRun: true, exitCode: 0, outcome: { kind: 'done' } })
    expect(changes()).toBe(before)
    expect(await history()).toHaveLength(1)
  })

  it("runs the second month's file: prepared, uploaded, sent, in the history", async () => {
    const ran = await run('routine', 'run', NAME)
    expect(ran.code, ran.stdout + ran.stderr).toBe(0)
    expect(ran.stdout).toContain('usage-june.csv')
    expect(ran.stdout).toContain(`Done: the routine “${NAME}” ran.`)
    const runs = await history()
    expect(runs).toHaveLength(2)
    const last = runs.at(-1)!
    expect(last).toMatchObject({
      outcome: { kind: 'done' },
      exitCode: 0,
      source: { fileName: 'usage-june.csv' },
      counts: { rows: 22, groups: { '0': 12, '1': 10 }, problems: 0 },
      sent: { '0': { campaignName: CAMPAIGN_X }, '1': { campaignName: CAMPAIGN_Y } },
    })
    // The new month's contacts are on the routine's lists; the job folder is a normal one.
    expect(sim.control.listMembers(listIdOf('App: using'))).toContain('q1@usage.example')
    expect(readFileSync(join(last.jobDir!, 'report.html'), 'utf8')).toContain('Sends')
  }, 60_000)

  it('does not run a file again: none left in the folder, --file refused (exit 4) unless --again', async () => {
    const none = await run('routine', 'run', NAME)
    expect(none.code).toBe(1)
    expect(none.stdout).toContain('has already been run')
    const june = join(inbox, 'usage-june.csv')
    const before = changes()
    const refused = await run('routine', 'run', NAME, '--file', june)
    expect(refused.code).toBe(4)
    expect(refused.stdout).toContain('This file was already run successfully on')
    expect(refused.stdout).toContain('add --again')
    const again = await run('routine', 'run', NAME, '--file', june, '--again', '--dry-run')
    expect(again.code, again.stdout).toBe(0)
    expect(changes()).toBe(before)
    const runs = await history()
    expect(runs.at(-1)!.outcome).toMatchObject({ kind: 'stopped_by_safety_check' })
    expect(runs.at(-2)!.outcome).toMatchObject({ kind: 'failed', message: expect.stringContaining('already been run') })
  })

  it('stops on a new flag value with the reason, exit 4, nothing uploaded', async () => {
    const rows = june().map(([email, flag], i): [string, string] => [email.replace('q', 'r'), i === 3 ? 'trial' : flag])
    const file = monthFile(work, 'july.csv', rows)
    const before = changes()
    const stopped = await run('routine', 'run', NAME, '--file', file)
    expect(stopped.code).toBe(4)
    expect(stopped.stdout).toContain('Stopped: nothing was uploaded or sent, because:')
    expect(stopped.stdout).toContain('The flag value “trial” is new')
    expect(changes()).toBe(before)
    expect((await history()).at(-1)).toMatchObject({
      exitCode: 4,
      outcome: { kind: 'stopped_by_safety_check', reasons: [expect.stringContaining('“trial” is new')] },
    })
    const shown = (await run('routine', 'history', NAME)).stdout
    expect(shown).toContain('stopped by a safety check (july.csv) — 22 rows: 12 + 9, 1 problems')
    expect(shown).toContain('stopped by a safety check (usage-june.csv)\n  • This file was already run successfully')
    expect(shown).toMatch(/ {2}• The flag value “trial” is new/)
  })

  it.each([
    [
      'too many problem rows',
      () => june().map(([e, f], i): [string, string] => [i < 3 ? `not-an-address-${i}` : e.replace('q', 's'), f]),
      'are problems; the limit is 5 %',
    ],
    ['an empty group', () => people(20, () => '0', 'empty.example'), 'has no contacts in this file'],
    [
      "a group's size changed too much",
      () => people(22, (i) => (i < 4 ? '0' : '1'), 'change.example'),
      'the limit is 50 %',
    ],
    ['too few rows', () => people(6, (i) => (i % 2 ? '1' : '0'), 'few.example'), 'The file has 6 rows; the minimum is'],
  ])('stops on %s (exit 4, reason in the output and the history)', async (what, rows, reason) => {
    const file = monthFile(work, `${what.replace(/\W+/g, '-')}.csv`, rows())
    const before = changes()
    const stopped = await run('routine', 'run', NAME, '--file', file)
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(4)
    expect(stopped.stdout).toContain(reason)
    expect(changes()).toBe(before)
    const last = (await history()).at(-1)!
    expect(last.outcome.kind).toBe('stopped_by_safety_check')
    expect(JSON.stringify(last.outcome)).toContain(reason.replace(/"/g, '\\"'))
  })

  it("a list that is gone: found again by the routine's name for it when allowed, else the run fails before uploading", async () => {
    const routine = await store.read(NAME)
    const gone = '00000000-0000-4000-8000-000000000000'
    const file = monthFile(
      work,
      'august.csv',
      june().map(([e, f]): [string, string] => [e.replace('q', 'a'), f]),
    )
    try {
      await store.save(
        { ...routine, lists: { ...routine.lists, '1': { ...routine.lists['1'], listId: gone } } },
        { replace: true },
      )
      const dry = await run('routine', 'run', NAME, '--file', file, '--dry-run', '--json')
      expect(dry.code, dry.stdout + dry.stderr).toBe(0)
      const plan = dry.stdout
        .split('\n')
        .map((l) => (l ? JSON.parse(l) : {}))
        .find((l) => l.type === 'plan')
      expect(plan.upload.groups[1].list).toMatchObject({
        name: 'App: using',
        exists: true,
        listId: listIdOf('App: using'),
      })

      const strict = { ...routine.lists['1'], listId: gone, createIfMissing: false }
      await store.save({ ...routine, lists: { ...routine.lists, '1': strict } }, { replace: true })
      const before = changes()
      const refused = await run('routine', 'run', NAME, '--file', file)
      expect(refused.code).toBe(1)
      expect(refused.stdout).toContain('The list chosen for “Uses app: yes” no longer exists in Constant Contact.')
      expect(changes()).toBe(before)
      expect((await history()).at(-1)).toMatchObject({ exitCode: 1, outcome: { kind: 'failed' } })
    } finally {
      await store.save(routine, { replace: true })
    }
  })

  it("stops when the routine's sheet is gone from the workbook", async () => {
    const routine = await store.read(NAME)
    await store.save(
      { ...routine, name: 'Workbook routine', reading: { format: 'xlsx', sheet: 'Usage', headerRow: 1 } },
      { replace: false },
    )
    const header = ['Email', 'Uses app', 'First name', 'Region', 'Notes']
    const book = await writeXlsx('renamed-sheet.xlsx', [
      { name: 'Export', rows: [{ cells: header }, ...june().map(([e, f]) => ({ cells: [e, f, 'A', 'North', ''] }))] },
    ])
    const stopped = await run('routine', 'run', 'Workbook routine', '--file', book)
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(4)
    expect(stopped.stdout).toContain('The workbook has no sheet “Usage” any more (its sheets: “Export”)')
    await store.delete('Workbook routine')
  })

  it('runs one run per routine at a time', async () => {
    const lock = await store.lockRun(NAME)
    try {
      const busy = await run('routine', 'run', NAME, '--dry-run')
      expect(busy.code).toBe(1)
      expect(busy.stderr).toContain(`The routine “${NAME}” is running right now`)
      const json = await run('routine', 'run', NAME, '--dry-run', '--json')
      expect(json.code).toBe(1)
      expect(JSON.parse(json.stdout)).toMatchObject({
        type: 'result',
        exitCode: 1,
        outcome: { kind: 'failed', code: 'routine_busy' },
      })
    } finally {
      lock.release()
    }
  })

  it('exports and imports a routine: the same choices under another name, no history', async () => {
    const file = join(work, 'routine-export.json')
    expect((await run('routine', 'export', NAME, file)).code).toBe(0)
    expect((await run('routine', 'export', NAME, file)).code).toBe(1)
    const imported = await run('routine', 'import', file, '--name', 'Copy of the mailing')
    expect(imported.code, imported.stderr).toBe(0)
    const { name: _a, createdAt: _b, updatedAt: _c, ...original } = await store.read(NAME)
    const { name, createdAt: _d, updatedAt: _e, ...copy } = await store.read('Copy of the mailing')
    expect(name).toBe('Copy of the mailing')
    expect(copy).toEqual(original)
    expect(await store.history('Copy of the mailing')).toEqual([])
    const listed = await run('routine', 'list')
    expect(listed.stdout).toContain('Copy of the mailing — not run yet')
    expect(listed.stdout).toContain(`${NAME} — last run`)
  })

  it('schedule --print shows what would be registered and registers nothing', async () => {
    const printed = await run('routine', 'schedule', NAME, '--monthly', '3', '--at', '07:45', '--print')
    expect(printed.code, printed.stderr).toBe(0)
    expect(printed.stdout).toContain('routine')
    expect(printed.stdout).toContain(NAME)
    expect(printed.stdout).toMatch(/bin\/splitsend\.js/)
    expect((await store.read(NAME)).schedule).toBeUndefined()
  })
  it('schedule registers with the scheduler and records it in the routine; unschedule takes both back', async () => {
    // A crontab held in memory: `crontab -l` answers what `crontab -` was last given.
    let table = '# the person’s own line\n0 5 * * * echo mine\n'
    const runner = recordingRunner((argv, input) => {
      if (argv.at(-1) === '-l') return { stdout: table }
      if (argv.at(-1) === '-') table = input ?? ''
      return {}
    })
    const command = createRoutineCommand({ scheduler: async () => crontabScheduler(schedulerOptions({ run: runner })) })
    const io = { out: '', err: '' }
    const call = (...args: string[]) =>
      command.run(args, { stdout: (t) => void (io.out += t), stderr: (t) => void (io.err += t) })

    expect(await call('schedule', NAME, '--weekly', 'Monday', '--at', '06:15'), io.err).toBe(0)
    expect(io.out).toContain('now runs every Monday at 06:15')
    expect((await store.read(NAME)).schedule).toEqual({ every: 'week', weekday: 'monday', at: '06:15' })
    expect(table).toContain('0 5 * * * echo mine')
    expect(table).toMatch(/^15 6 \* \* 1 .*routine.*run/m)
    expect((await run('routine', 'list')).stdout).toContain(`${NAME} — last run`)
    expect((await run('routine', 'list')).stdout).toContain('runs every Monday at 06:15')

    expect(await call('unschedule', NAME), io.err).toBe(0)
    expect((await store.read(NAME)).schedule).toBeUndefined()
    expect(table).toBe('# the person’s own line\n0 5 * * * echo mine\n')
  })

  it("sends a dated copy of a campaign Constant Contact won't send to the list as it is, and records it", async () => {
    const APRIL = 'Practice: April offer (sent, custom code)'
    const april = sim.control.snapshot().campaigns.find((c) => c.name === APRIL)!
    const routine = await store.read(NAME)
    const file = monthFile(
      inbox,
      'usage-september.csv',
      june().map(([e, f]): [string, string] => [e.replace('q', 'c'), f]),
    )
    try {
      const sending = {
        ...routine.sending,
        '1': {
          ...routine.sending['1'],
          campaign: { id: april.campaign_id, name: APRIL },
          testAddresses: ['office@usage.example'],
        },
      }
      const tests = sim.control.testSends().length
      await store.save({ ...routine, sending }, { replace: true })
      const dry = await run('routine', 'run', NAME, '--dry-run')
      expect(dry.stdout).toContain('a copy named with today’s date is sent instead')
      const ran = await run('routine', 'run', NAME)
      expect(ran.code, ran.stdout + ran.stderr).toBe(0)
      const copyName = /a copy was made: “([^”]+)”/.exec(ran.stdout)?.[1]
      expect(copyName).toMatch(/^Practice: April offer \(sent, custom code\) – \d{4}-\d{2}-\d{2}$/)
      expect(ran.stdout).toContain(`Sent to “Uses app: yes”: “${copyName}” (a copy of “${APRIL}”)`)
      // The routine's test address got a test of what was sent: the copy.
      expect(ran.stdout).toContain(`Test of “${copyName}” sent to office@usage.example.`)
      expect(sim.control.testSends()).toHaveLength(tests + 1)
      expect((await history()).at(-1)).toMatchObject({
        source: { path: file },
        outcome: { kind: 'done' },
        sent: { '1': { campaignName: copyName, copyOf: { campaignId: april.campaign_id, campaignName: APRIL } } },
      })
      expect(sim.control.snapshot().campaigns.filter((c) => c.name === copyName)).toHaveLength(1)
    } finally {
      await store.save(routine, { replace: true })
    }
  }, 60_000)
  it('with "move", a customer whose flag changed leaves the other list; nobody else is touched', async () => {
    const routine = await store.read(NAME)
    // September's customers again, two of them now using the app.
    const rows = june().map(([e, f], i): [string, string] => [e.replace('q', 'c'), i === 0 || i === 2 ? '1' : f])
    const file = monthFile(work, 'usage-october.csv', rows)
    const notUsing = listIdOf('App: not using')
    const using = listIdOf('App: using')
    try {
      await store.save({ ...routine, lists: { ...routine.lists, policy: 'move' } }, { replace: true })
      const ran = await run('routine', 'run', NAME, '--file', file)
      expect(ran.code, ran.stdout + ran.stderr).toBe(0)
      expect(ran.stdout).toContain('Contacts already on the lists')
      for (const moved of ['c0@usage.example', 'c2@usage.example']) {
        expect(sim.control.listMembers(using)).toContain(moved)
        expect(sim.control.listMembers(notUsing)).not.toContain(moved)
      }
      // Not in this file: "move" leaves them where they are.
      expect(sim.control.listMembers(notUsing)).toContain('q0@usage.example')
      const both = sim.control.listMembers(notUsing).filter((e) => sim.control.listMembers(using).includes(e))
      expect(both).toEqual([])
    } finally {
      await store.save(routine, { replace: true })
    }
  }, 90_000)

  it('stops (exit 4) before taking more of a list off than the routine allows, and takes nobody off', async () => {
    const routine = await store.read(NAME)
    // Only new people: "match" would empty both lists.
    const file = monthFile(
      work,
      'usage-november.csv',
      june().map(([e, f]): [string, string] => [e.replace('q', 'z'), f]),
    )
    const members = () => [listIdOf('App: not using'), listIdOf('App: using')].map((id) => sim.control.listMembers(id))
    const before = members()
    const removals = () => sim.control.requests().filter((r) => r.path === '/activities/remove_list_memberships').length
    const removalsBefore = removals()
    try {
      await store.save({ ...routine, lists: { ...routine.lists, policy: 'match' } }, { replace: true })
      const stopped = await run('routine', 'run', NAME, '--file', file)
      expect(stopped.code, stopped.stdout + stopped.stderr).toBe(4)
      expect(stopped.stdout).toMatch(/of the \d+ contacts on the list “App: not using” would be taken off it/)
      expect(removals()).toBe(removalsBefore)
      expect(members()).toEqual(before)
      expect((await history()).at(-1)).toMatchObject({ outcome: { kind: 'stopped_by_safety_check' } })
    } finally {
      await store.save(routine, { replace: true })
    }
  }, 90_000)
})

/** June: 22 people, none of May's addresses; q0…q21 with flags 0 for even i, and four flipped to 0. */
function june(): Array<[string, string]> {
  return people(22, (i) => (i % 2 === 0 || i === 21 ? '0' : '1')).map(([email, flag]): [string, string] => [
    email.replace(/^p/, 'q'),
    flag,
  ])
}
