import { main } from '../../electron/cli/splitsend'

/** Runs `splitsend <argv>` in this process, as the command would, gathering what it writes. */
export async function runCommand(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) })
  return { code, stdout, stderr }
}
