import { app } from 'electron'
import { main as splitsend } from '../cli/splitsend'

/**
 * A scheduled run (`--run-routine <name>`, see services/routines/schedule/command.ts): the
 * `splitsend` command's `routine run`, with no window, then the app exits with the run's exit code.
 * The single-instance lock is left alone, so an open window neither blocks nor receives the run.
 */
export function runHeadless(args: string[]): void {
  app.dock?.hide()
  void splitsend(args, {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  }).then(
    (code) => app.exit(code),
    (error: unknown) => {
      process.stderr.write(`splitsend: ${String((error as Error)?.message ?? error)}\n`)
      app.exit(1)
    },
  )
}
