import { commands } from './commands/index'
import { EXIT, type CliIO } from './command'
import { isUsageError } from './command-line'
import { toErrorData, UserFacingError } from '../../shared/errors'
import { terminalText } from './terminal-text'

export async function main(argv: string[], terminal: CliIO): Promise<number> {
  // Everything a command writes passes here: nothing from a file reaches the terminal as a control.
  const io: CliIO = {
    stdout: (text) => terminal.stdout(terminalText(text)),
    stderr: (text) => terminal.stderr(terminalText(text)),
  }
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText())
    return name ? EXIT.ok : EXIT.usage
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    io.stderr(`splitsend: unknown command '${name}'.\n\n${helpText()}`)
    return EXIT.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`)
    return EXIT.ok
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    return reportFailure(name, error, io)
  }
}

/**
 * The one place a command's failure is told: its message and hint. A usage error (see
 * command-line.ts) exits with 2 and, without a hint of its own, points to the command's --help.
 */
function reportFailure(name: string, error: unknown, io: CliIO): number {
  const data = toErrorData(error)
  const usage = isUsageError(error)
  const hint = data.hint ?? (usage ? `Run 'splitsend ${name} --help' to see how to use it.` : undefined)
  io.stderr(`splitsend ${name}: ${data.message}${hint ? `\n${hint}` : ''}\n`)
  if (!(error instanceof UserFacingError) && process.env.SPLITSEND_DEBUG)
    io.stderr(`${String((error as Error)?.stack ?? error)}\n`)
  return usage ? EXIT.usage : EXIT.failure
}

function helpText(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length))
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return `Usage: splitsend <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'splitsend <command> --help' for a command's options.\n`
}
