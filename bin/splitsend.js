#!/usr/bin/env node
// The `splitsend` command. `npm ci` builds out/ (the package's `prepare` script), so this runs as is.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(built)) {
  process.stderr.write(
    "splitsend: the command is not built yet. Run 'npm ci' (or 'npm run build') in the Splitsend folder first.\n",
  )
  process.exit(1)
}
const { main } = await import(pathToFileURL(built).href)
process.exitCode = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
})
