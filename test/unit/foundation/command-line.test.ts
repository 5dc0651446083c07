import { describe, expect, it } from 'vitest'
import { commands } from '../../../electron/cli/commands/index'
import { runCommand } from '../cli-run'

const run = runCommand

// Every command reads its arguments the same way (node:util parseArgs), and a mistake is told in
// one place: exit code 2, what is wrong, and where to look.
describe('usage errors of the splitsend command', () => {
  it.each(commands.map((command) => command.name))('%s: an unknown option exits 2 and says so', async (name) => {
    const result = await run(name, '--bogus')
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `splitsend ${name}: Unknown option --bogus.\nRun 'splitsend ${name} --help' to see how to use it.\n`,
    })
  })

  it.each(['login', 'logout', 'whoami', 'simulator'])('%s: an argument it does not take exits 2', async (name) => {
    const result = await run(name, 'extra')
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `splitsend ${name}: Unexpected “extra”.\nRun 'splitsend ${name} --help' to see how to use it.\n`,
    )
  })

  it('says when an option lacks its value, or has one it does not take', async () => {
    expect((await run('prepare', 'x.csv', '--out')).stderr).toContain('splitsend prepare: --out needs a value')
    expect((await run('upload', 'job', '--list-0', '--skip-1')).stderr).toContain('--list-0 needs a value')
    expect(await run('inspect', 'x.csv', '--json=yes')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('splitsend inspect: --json takes no value.'),
    })
  })

  it('exits 2 on a value it cannot use, with the hint that goes with it', async () => {
    expect(await run('simulator', '--port', 'eighty')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--port must be a port number, not "eighty".'),
    })
    expect(await run('login', '--practice', '--api-base', 'http://127.0.0.1:1/v3')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Use either --practice or --api-base/--auth-base, not both.'),
    })
    const twice = await run('prepare', 'x.csv', '--out', 'o', '--group0-values', 'maybe', '--group1-values', 'Maybe')
    expect(twice.code).toBe(2)
  })
})
