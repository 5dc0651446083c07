#!/usr/bin/env node
// A stand-in for `crontab` (crontab -l / crontab -): the web bridge of the browser tests is pointed
// at it (SPLITSEND_CRONTAB), so a test registers and removes a schedule without touching this
// computer's own crontab. The table is the file SPLITSEND_TEST_CRONTAB_FILE.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const file = process.env.SPLITSEND_TEST_CRONTAB_FILE
if (!file) {
  process.stderr.write('recording-crontab: SPLITSEND_TEST_CRONTAB_FILE is not set\n')
  process.exit(2)
}
const action = process.argv.at(-1)
if (action === '-l') {
  if (!existsSync(file)) {
    process.stderr.write('no crontab for tester\n')
    process.exit(1)
  }
  process.stdout.write(readFileSync(file, 'utf8'))
} else if (action === '-') {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  writeFileSync(file, Buffer.concat(chunks))
} else {
  process.stderr.write(`recording-crontab: unknown action ${action}\n`)
  process.exit(2)
}
