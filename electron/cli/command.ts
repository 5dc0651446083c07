/** One `splitsend <name>` sub-command. `run` returns the process exit code. */
export interface CliCommand {
  name: string
  /** One line for `splitsend --help`. */
  summary: string
  /** Full usage text for `splitsend <name> --help`. */
  usage: string
  run(args: string[], io: CliIO): Promise<number>
}

/** Where a command writes; tests pass buffers, the real command passes the process streams. */
export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

/** Exit codes shared by every command (see README). */
export const EXIT = { ok: 0, failure: 1, usage: 2, partial: 3, stopped: 4 } as const
