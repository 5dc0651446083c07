import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UserFacingError } from '../../shared/errors'
import type { ReadOptions } from '../../shared/prepare/schemas'
import { parseDelimiter, parseEncoding, parseHeaderRow } from '../services/prepare/option-values'

/**
 * A mistake on the command line. `splitsend` prints it and exits with 2 (see main in
 * splitsend.ts), adding a pointer to the command's --help when there is no `hint`.
 */
export function usageError(message: string, hint?: string): UserFacingError {
  return new UserFacingError('usage', message, hint)
}

export function isUsageError(error: unknown): boolean {
  return error instanceof UserFacingError && error.code === 'usage'
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>
type StrictConfig<T extends OptionsConfig> = { args: string[]; options: T; strict: true; allowPositionals: true }

/**
 * Reads a command's arguments with node:util's parseArgs: `--name value`, `--name=value`, bare
 * `--flag`, and positionals. Anything else is a usage error, said in plain words.
 */
export function parseCommandLine<T extends OptionsConfig>(
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<StrictConfig<T>>> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true })
  } catch (error) {
    throw usageError(argumentMistake(args, options) ?? (error as Error).message)
  }
}

/** What is wrong with the arguments parseArgs refused, in plain words (undefined: see its own message). */
function argumentMistake(args: string[], options: OptionsConfig): string | undefined {
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true })
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const option = options[token.name]
    if (!option) return `Unknown option ${token.rawName}.`
    if (option.type === 'boolean' && token.inlineValue) return `${token.rawName} takes no value.`
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))))
      return `${token.rawName} needs a value (one that starts with "-" is written ${token.rawName}=-…).`
  }
  return undefined
}

/** The one file or folder a command works on; `missing` and `tooMany` say what is wrong otherwise. */
export function onePositional(positionals: string[], missing: string, tooMany: string, hint?: string): string {
  if (positionals.length === 1) return positionals[0]!
  throw usageError(positionals.length === 0 ? missing : tooMany, hint)
}

/** For a command that takes no file or folder. */
export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw usageError(`Unexpected “${positionals[0]}”.`)
}

/**
 * Runs `read`, which reads the command line into what the command needs: an error in plain words
 * that it throws (a value that can't be used) is a usage error.
 */
export function readingCommandLine<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof UserFacingError && !isUsageError(error)) throw usageError(error.message, error.hint)
    throw error
  }
}

/** How `prepare` and `inspect` read a file: --sheet, --header-row, --encoding, --delimiter. */
export const READ_OPTIONS = {
  sheet: { type: 'string' },
  'header-row': { type: 'string' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
} as const

export function readOptionsFrom(values: {
  sheet?: string
  'header-row'?: string
  encoding?: string
  delimiter?: string
}): ReadOptions {
  const options: ReadOptions = {}
  if (values.encoding !== undefined) options.encoding = parseEncoding(values.encoding)
  if (values.delimiter !== undefined) options.delimiter = parseDelimiter(values.delimiter)
  if (values.sheet !== undefined) options.sheet = values.sheet
  if (values['header-row'] !== undefined) options.headerRow = parseHeaderRow(values['header-row'])
  return options
}
