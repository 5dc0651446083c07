/**
 * One measured phase of `npm run bench:sync`, in a process of its own so that its memory figure is
 * Splitsend's alone (the parent prepared and uploaded two million rows; the local Constant Contact
 * runs in a third process):
 *   read <simPid> <apiBase> <authBase> <jobDir> <listId0> <listId1>     the plan's reading and comparison
 *   read-after-download …                                               the same, each export read once downloaded
 *   remove <simPid> <apiBase> <authBase> <jobDir> <listId0> <listId1>   the "move" removals
 * Prints one JSON line (see PhaseFigures). CPU time is this process's (worker threads included) and,
 * read from /proc, the local Constant Contact's, over the same span.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { benchAccount, signInToSimulator } from './bench-account'
import type { CcEvent } from '../../electron/services/constant-contact/transport'
import { compareLists, startMembership } from '../../electron/services/membership/index'

export interface PhaseFigures {
  ms: number
  /** This process's processor time (all threads) and the local Constant Contact's, in ms. */
  cpuMs: number
  simCpuMs: number
  rssStartMb: number
  /** The process's peak resident size over the phase (VmHWM, reset at its start). */
  peakRssMb: number
  requests: Array<{ method: string; path: string; status: number; ms: number; at: number }>
  /** Milliseconds from the start: reading (both export activities completed, both files saved) */
  marks: Record<string, number>
  movedOut?: number[]
  outcome?: string
}

const NAMES: [string, string] = ['Sync zero', 'Sync one']
const [phase, simPid, apiBase, authBase, jobDir, list0, list1] = process.argv.slice(2) as [
  'read' | 'read-after-download' | 'remove',
  string,
  string,
  string,
  string,
  string,
  string,
]
const lists = { '0': { listId: list0, listName: NAMES[0] }, '1': { listId: list1, listName: NAMES[1] } }

/** utime + stime of a process, in ms (clock ticks of 10 ms on Linux). */
function processCpuMs(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

function peakRssMb(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
  return Math.round((Number(hwm) * 1024) / 1e6)
}

const events: Array<Extract<CcEvent, { type: 'response' }> & { at: number }> = []
let t0 = 0
const account = benchAccount({
  onEvent: (e) => {
    if (e.type === 'response') events.push({ ...e, at: performance.now() - t0 })
  },
})
await signInToSimulator(account, { apiBase, authBase })
const client = await account.client()
await new Promise((r) => setTimeout(r, 1_200)) // the sign-in's requests leave the rate window

const marks: Record<string, number> = {}
const mark = (name: string): void => void (marks[name] ??= Math.round(performance.now() - t0))
const rssStart = process.memoryUsage().rss
writeFileSync('/proc/self/clear_refs', '5') // VmHWM from here
events.length = 0
const cpuStart = process.cpuUsage()
const simStart = processCpuMs(simPid)
t0 = performance.now()
const figures: Partial<PhaseFigures> = {}
if (phase !== 'remove') {
  const record = await compareLists(jobDir, client, lists, {
    trustMs: 0, // each reading phase exports the lists afresh
    readWhileDownloading: phase === 'read',
    onStep: (step) => {
      if (step.kind === 'comparing') mark('filesSaved')
      else if (step.status?.state === 'completed') mark(`exported${step.group}`)
    },
  })
  figures.movedOut = record.comparison.lists.map((l) => l.movedOut)
} else {
  const result = await startMembership(jobDir, client, { choice: { policy: 'move', lists } }).done
  figures.outcome = result.outcome
}
const ms = performance.now() - t0
const cpu = process.cpuUsage(cpuStart)
const out: PhaseFigures = {
  ...figures,
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  simCpuMs: processCpuMs(simPid) - simStart,
  rssStartMb: Math.round(rssStart / 1e6),
  peakRssMb: peakRssMb(),
  requests: events.map(({ method, path, status, ms, at }) => ({ method, path, status, ms, at: Math.round(at) })),
  marks,
}
await account.close()
process.stdout.write(`${JSON.stringify(out)}\n`)
process.exit(0)
