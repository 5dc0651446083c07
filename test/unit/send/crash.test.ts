import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, it, type TestContext } from 'vitest'
import { SEND_LOCK_FILE } from '../../../electron/services/send/index'
import type { SendResult } from '../../../shared/send/schemas'
import { readJournal } from '../../../electron/services/send/journal'
import { bundleForNode } from '../bundle'
import { CAMPAIGN_X, primaryEmail, sendSetup, type SendContext, type SendSetupOptions } from './helpers'

let sender: string // sender-child.ts, bundled
beforeAll(async () => {
  sender = await bundleForNode(join(import.meta.dirname, 'sender-child.ts'))
})

interface ChildRun {
  code: number | null
  signal: NodeJS.Signals | null
  output?: { ok: true; result: SendResult } | { ok: false; error: { code: string; message: string } }
  stderr: string
}

function runSender(
  ctx: SendContext,
  options: { group: '0' | '1'; campaignId: string; when: string; killAt?: string; lockWaitMs?: number },
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sender], {
      cwd: join(import.meta.dirname, '../../..'),
      env: {
        ...process.env,
        SEND_API_BASE: ctx.sim.apiBase,
        SEND_AUTH_BASE: ctx.sim.authBase,
        SEND_JOB_DIR: ctx.jobDir,
        SEND_UPLOADS: JSON.stringify(ctx.outcomes),
        SEND_GROUP: options.group,
        SEND_CAMPAIGN: options.campaignId,
        SEND_WHEN: options.when,
        SEND_KILL_AT: options.killAt ?? '',
        SEND_LOCK_WAIT_MS: String(options.lockWaitMs ?? 0),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').filter(Boolean).pop()
      resolve({ code, signal, stderr, ...(line ? { output: JSON.parse(line) } : {}) })
    })
  })
}

/** A local Constant Contact and job of the test's own, closed when that test ends (the tests run at once). */
async function setup(test: TestContext, options?: SendSetupOptions) {
  const ctx = await sendSetup(options)
  test.onTestFinished(ctx.close)
  return ctx
}

// Each test has its own local Constant Contact and job folder, and mostly waits on its child
// processes: they run at the same time, with time to spare for seven at once on a busy machine (and
// longer than the 20 s a sender waits for the other's lock).
describe.concurrent('exactly once, with the sender killed and restarted', { timeout: 60_000 }, () => {
  // Killed after the intent is on disk (before the lists are set), after the lists are set but
  // before the schedule call, and just after Constant Contact accepted the schedule (before the
  // journal knows): each time the restart ends with exactly one send in Constant Contact's record.
  for (const [killAt, postsBeforeRestart] of [
    ['intent_written', 0],
    ['lists_set', 0],
    ['schedule_answered', 1],
    ['result_written', 1],
  ] as const) {
    it(`killed at ${killAt}: the restart sends exactly once`, async (test) => {
      const { expect } = test
      const ctx = await setup(test)
      const killed = await runSender(ctx, { group: '0', campaignId: ctx.x, when: 'now', killAt })
      expect(killed.signal).toBe('SIGKILL')
      expect(killed.output).toBeUndefined()
      expect(ctx.schedulePosts()).toHaveLength(postsBeforeRestart)
      expect(existsSync(join(ctx.jobDir, SEND_LOCK_FILE))).toBe(true) // left behind by the dead process
      expect(readJournal(ctx.jobDir).at(-1)!.type).toBe(killAt === 'result_written' ? 'accepted' : 'intent')

      const restarted = await runSender(ctx, { group: '0', campaignId: ctx.x, when: 'now' })
      expect(restarted.code, restarted.stderr).toBe(0)
      expect(restarted.output?.ok).toBe(true)
      const result = (restarted.output as { result: SendResult }).result
      expect(result.state.phase).toBe('sent')
      expect(result.alreadyDone).toBe(postsBeforeRestart === 1)
      expect(ctx.schedulePosts()).toHaveLength(1)
      const activity = ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!
      expect(activity.send_history).toHaveLength(1)
      expect(activity.send_history[0]!.contact_list_ids).toEqual([ctx.list0])

      // And a third run (a re-run of the same job) changes nothing.
      const third = await runSender(ctx, { group: '0', campaignId: ctx.x, when: 'now' })
      expect((third.output as { result: SendResult }).result.alreadyDone).toBe(true)
      expect(ctx.schedulePosts()).toHaveLength(1)
      expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(1)
    })
  }

  it('killed after the lists were set: the restart still reports the recipients they replaced', async (test) => {
    const { expect } = test
    const ctx = await setup(test, {
      mutate: (data) =>
        void (primaryEmail(data, CAMPAIGN_X).contact_list_ids = [
          data.lists.find((l) => l.name === 'Customers')!.list_id,
        ]),
    })
    await runSender(ctx, { group: '0', campaignId: ctx.x, when: 'now', killAt: 'lists_set' })
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.contact_list_ids).toEqual([ctx.list0])
    const restarted = await runSender(ctx, { group: '0', campaignId: ctx.x, when: 'now' })
    expect((restarted.output as { result: SendResult }).result.state.phase).toBe('sent')
    const intents = readJournal(ctx.jobDir).filter((e) => e.type === 'intent')
    expect(intents).toHaveLength(2)
    expect(intents.map((e) => (e as { replaced: unknown }).replaced)).toEqual([
      [{ kind: 'list', id: expect.any(String), name: 'Customers' }],
      [{ kind: 'list', id: expect.any(String), name: 'Customers' }],
    ])
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(1)
  })

  it('killed just after scheduling a later send: the restart finds the schedule and doesn’t schedule again', async (test) => {
    const { expect } = test
    const ctx = await setup(test)
    const when = new Date(Date.now() + 86_400_000).toISOString()
    await runSender(ctx, { group: '1', campaignId: ctx.y, when, killAt: 'schedule_answered' })
    const restarted = await runSender(ctx, { group: '1', campaignId: ctx.y, when })
    const result = (restarted.output as { result: SendResult }).result
    expect(result).toMatchObject({
      alreadyDone: true,
      state: { phase: 'scheduled', scheduledFor: when, canUnschedule: true },
    })
    expect(ctx.schedulePosts()).toHaveLength(1)
    expect(readJournal(ctx.jobDir).map((e) => e.type)).toEqual(['intent', 'checked'])
  })

  it('two sender processes on one job at the same time send once', async (test) => {
    const { expect } = test
    const ctx = await setup(test)
    const runs = await Promise.all([
      runSender(ctx, { group: '0', campaignId: ctx.x, when: 'now', lockWaitMs: 20_000 }),
      runSender(ctx, { group: '0', campaignId: ctx.x, when: 'now', lockWaitMs: 20_000 }),
    ])
    for (const run of runs) expect(run.code, run.stderr).toBe(0)
    expect(runs.map((r) => (r.output as { result: SendResult }).result.alreadyDone).sort()).toEqual([false, true])
    expect(ctx.schedulePosts()).toHaveLength(1)
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))!.send_history).toHaveLength(1)
  })
})
