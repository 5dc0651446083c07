/**
 * Readers for what the schedulers are given, written from each format's own documentation and
 * independent of the code that writes them: an XML tree (saxes, a real XML parser), a plist's
 * values, the Microsoft C runtime's command-line splitting, systemd's ExecStart splitting and
 * cron's handling of % (crontab(5)).
 */
import { SaxesParser, type SaxesTagNS } from 'saxes'
import type { CommandResult, CommandRunner } from '../../../electron/services/routines/schedule'

export interface XmlNode {
  name: string
  uri: string
  attributes: Record<string, string>
  children: XmlNode[]
  text: string
}

/** The document's root element, namespaces resolved; a document that is not well-formed throws. */
export function parseXml(xml: string): XmlNode & { doctype?: string } {
  const parser = new SaxesParser({ xmlns: true })
  const top: XmlNode = { name: '#document', uri: '', attributes: {}, children: [], text: '' }
  const stack = [top]
  let doctype: string | undefined
  parser.on('doctype', (text) => (doctype = text))
  parser.on('opentag', (tag: SaxesTagNS) => {
    const node: XmlNode = {
      name: tag.local,
      uri: tag.uri,
      attributes: Object.fromEntries(Object.entries(tag.attributes).map(([key, a]) => [key, a.value])),
      children: [],
      text: '',
    }
    stack.at(-1)!.children.push(node)
    stack.push(node)
  })
  parser.on('text', (text) => (stack.at(-1)!.text += text))
  parser.on('closetag', () => stack.pop())
  parser.on('error', (error) => {
    throw error
  })
  parser.write(xml).close()
  return { ...top.children[0]!, doctype }
}

/** The child element at a path of names (`Triggers/CalendarTrigger/StartBoundary`). */
export function child(node: XmlNode, path: string): XmlNode {
  let at = node
  for (const name of path.split('/')) {
    const next = at.children.find((c) => c.name === name)
    if (!next) throw new Error(`no <${name}> in <${at.name}>`)
    at = next
  }
  return at
}

/** A property list's value, as Apple's plist(5) defines the elements. */
export function plistValue(node: XmlNode): unknown {
  switch (node.name) {
    case 'plist':
      return plistValue(node.children[0]!)
    case 'dict': {
      const value: Record<string, unknown> = {}
      for (let i = 0; i < node.children.length; i += 2) {
        if (node.children[i]!.name !== 'key') throw new Error('a <dict> holds <key> and value pairs')
        value[node.children[i]!.text] = plistValue(node.children[i + 1]!)
      }
      return value
    }
    case 'array':
      return node.children.map(plistValue)
    case 'string':
      return node.text
    case 'integer':
      if (!/^-?\d+$/.test(node.text)) throw new Error(`not an integer: ${node.text}`)
      return Number(node.text)
    case 'true':
      return true
    case 'false':
      return false
    default:
      throw new Error(`not a plist element: <${node.name}>`)
  }
}

/**
 * How the Microsoft C runtime splits a command line into arguments ("Parsing C command-line
 * arguments"): spaces and tabs separate outside quotes; 2n backslashes before a quote are n
 * backslashes and the quote opens or closes; 2n+1 backslashes before a quote are n and a literal
 * quote; backslashes elsewhere are literal; "" inside quotes is a literal quote.
 */
export function splitWindowsCommandLine(line: string): string[] {
  const args: string[] = []
  let i = 0
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++
    if (i >= line.length) return args
    let arg = ''
    let quoted = false
    while (i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t'))) {
      let backslashes = 0
      while (line[i] === '\\') {
        backslashes++
        i++
      }
      if (line[i] === '"') {
        arg += '\\'.repeat(Math.floor(backslashes / 2))
        if (backslashes % 2 === 1) arg += '"'
        else if (quoted && line[i + 1] === '"') {
          arg += '"'
          i++
        } else quoted = !quoted
        i++
      } else {
        arg += '\\'.repeat(backslashes)
        if (i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t'))) arg += line[i++]
      }
    }
    args.push(arg)
  }
}

/**
 * How systemd splits ExecStart (systemd.syntax(7), "Quoting"): words separated by spaces; a word in
 * double quotes may hold spaces, with C-style escapes (\\ \" \xNN …); then "%%" is one "%" and
 * "$$" one "$" (specifiers and variables, systemd.service(5)). Anything else with % or $ is
 * refused here, as systemd would have replaced it.
 */
export function splitExecStart(line: string): string[] {
  const words: string[] = []
  let i = 0
  while (i < line.length) {
    if (line[i] === ' ') {
      i++
      continue
    }
    if (line[i] !== '"') throw new Error(`expected a quoted word at ${i}: ${line.slice(i)}`)
    let word = ''
    i++
    while (line[i] !== '"') {
      if (i >= line.length) throw new Error('unbalanced quotes')
      if (line[i] === '\\') {
        const next = line[i + 1]
        if (next === '\\' || next === '"') word += next
        else throw new Error(`unexpected escape \\${next}`)
        i += 2
      } else word += line[i++]
    }
    i++
    words.push(unescapeSystemd(word))
  }
  return words
}

function unescapeSystemd(word: string): string {
  let out = ''
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!
    if (ch === '%' || ch === '$') {
      if (word[i + 1] !== ch) throw new Error(`systemd would replace “${ch}${word[i + 1] ?? ''}” in “${word}”`)
      i++
    }
    out += ch
  }
  return out
}

/** The sections and `key=value` lines of a unit file, in order. */
export function parseUnit(text: string): Record<string, Array<[string, string]>> {
  const sections: Record<string, Array<[string, string]>> = {}
  let current: Array<[string, string]> | undefined
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const section = /^\[(\w+)\]$/.exec(line)
    if (section) {
      current = sections[section[1]!] = []
      continue
    }
    const eq = line.indexOf('=')
    if (!current || eq < 1) throw new Error(`not a unit file line: ${line}`)
    current.push([line.slice(0, eq), line.slice(eq + 1)])
  }
  return sections
}

/**
 * What cron gives /bin/sh for a crontab command (crontab(5)): "\%" becomes "%" (other backslashes
 * stay), and an unescaped % ends the command (the rest would be standard input).
 */
export function cronCommand(command: string): { command: string; input?: string } {
  let out = ''
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!
    if (ch === '\\' && i + 1 < command.length) {
      const next = command[++i]!
      out += next === '%' ? '%' : `\\${next}`
    } else if (ch === '%') {
      return { command: out, input: command.slice(i + 1) }
    } else out += ch
  }
  return { command: out }
}

/** A runner that answers from a script and records every command (for schedulers this machine hasn't got). */
export function recordingRunner(
  answer: (argv: readonly string[], input?: string) => Partial<CommandResult> = () => ({}),
): CommandRunner & { calls: Array<{ argv: string[]; input?: string }> } {
  const calls: Array<{ argv: string[]; input?: string }> = []
  const runner = async (argv: readonly string[], options: { input?: string } = {}): Promise<CommandResult> => {
    calls.push({ argv: [...argv], ...(options.input !== undefined ? { input: options.input } : {}) })
    return { code: 0, stdout: '', stderr: '', ...answer(argv, options.input) }
  }
  return Object.assign(runner, { calls })
}
