/** Runs the `splitsend` command from the TypeScript sources (the crash tests start it as a child process). */
import { main } from '../../../electron/cli/splitsend'

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})
