import { readFileSync } from 'node:fs'

/**
 * This thread's processor time so far (Linux: /proc, in clock ticks of 10 ms). Unlike the event
 * loop's busy time it doesn't count the time the thread waited for a core, which on a shared
 * machine is most of it.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}
