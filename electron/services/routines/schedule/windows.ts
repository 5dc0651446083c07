/**
 * Windows: a Task Scheduler task under \Splitsend\, registered with `schtasks /Create /XML` from a
 * task definition (the documented Task Scheduler schema, version 1.2).
 *
 * Choices: the task runs as the signed-in person, only while they are signed in (InteractiveToken:
 * Splitsend stores no password, and the run needs the person's Credential Manager); a run missed
 * while the computer was off starts when it is next on (StartWhenAvailable); a run still going when
 * the next one is due is left alone (IgnoreNew). The file is UTF-16 with a byte order mark, the
 * encoding schtasks reads without guessing.
 *
 * Quoting: the arguments are one command line that Node splits by the Microsoft C runtime's rules,
 * so each is quoted by those rules. Task Scheduler also replaces %NAME% with environment variables
 * in the command and its arguments, and has no way to escape it: a routine name (or path) with a
 * %…% pair is refused rather than run under another name. For the same reason, and because a task
 * can't set environment variables, `environment` must be empty here.
 */
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UserFacingError } from '../../../../shared/errors'
import { hourMinute, mustRun, runArguments, scheduleWords, taskId, xmlText, type ScheduleTarget } from './task'
import type { Scheduler, SchedulerOptions } from './index'

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const SYSTEM = 'Windows Task Scheduler'

function windowsTaskName(routineName: string): string {
  return `\\Splitsend\\${taskId(routineName)}`
}

/** The task definition (as text; written to disk as UTF-16). `today` gives the trigger's start date. */
export function windowsTaskXml(target: ScheduleTarget, today: Date): string {
  refuseWhatWindowsWouldChange(target)
  const { hour, minute } = hourMinute(target.schedule.at)
  const start = `${localDate(today)}T${pad(hour)}:${pad(minute)}:00`
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    '    <Author>Splitsend</Author>',
    `    <Description>${xmlText(`Runs the Splitsend routine “${target.routineName}” ${scheduleWords(target.schedule)}.`)}</Description>`,
    `    <URI>${xmlText(windowsTaskName(target.routineName))}</URI>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <CalendarTrigger>',
    `      <StartBoundary>${start}</StartBoundary>`,
    '      <Enabled>true</Enabled>',
    ...scheduleElements(target.schedule).map((line) => `      ${line}`),
    '    </CalendarTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    '      <LogonType>InteractiveToken</LogonType>',
    '      <RunLevel>LeastPrivilege</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <AllowStartOnDemand>true</AllowStartOnDemand>',
    '    <ExecutionTimeLimit>PT72H</ExecutionTimeLimit>',
    '    <Enabled>true</Enabled>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xmlText(target.program)}</Command>`,
    `      <Arguments>${xmlText(runArguments(target).map(windowsArgument).join(' '))}</Arguments>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n')
}

function scheduleElements(schedule: ScheduleTarget['schedule']): string[] {
  if (schedule.every === 'day') return ['<ScheduleByDay>', '  <DaysInterval>1</DaysInterval>', '</ScheduleByDay>']
  if (schedule.every === 'week') {
    const day = schedule.weekday[0]!.toUpperCase() + schedule.weekday.slice(1)
    return [
      '<ScheduleByWeek>',
      '  <WeeksInterval>1</WeeksInterval>',
      `  <DaysOfWeek><${day} /></DaysOfWeek>`,
      '</ScheduleByWeek>',
    ]
  }
  return [
    '<ScheduleByMonth>',
    `  <DaysOfMonth><Day>${schedule.day}</Day></DaysOfMonth>`,
    `  <Months>${MONTHS.map((m) => `<${m} />`).join('')}</Months>`,
    '</ScheduleByMonth>',
  ]
}

/**
 * One argument as the Microsoft C runtime (and so Node on Windows) splits a command line: quoted
 * when it has a space, tab or quote (or is empty); a quote inside is \", and backslashes are doubled
 * only where they come before a quote.
 */
export function windowsArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg
  let quoted = '"'
  let backslashes = 0
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++
      continue
    }
    quoted += '\\'.repeat(ch === '"' ? backslashes * 2 + 1 : backslashes) + ch
    backslashes = 0
  }
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`
}

function refuseWhatWindowsWouldChange(target: ScheduleTarget): void {
  if (Object.keys(target.environment ?? {}).length > 0)
    throw new UserFacingError(
      'schedule_environment',
      `${SYSTEM} can't give a scheduled run its own settings (${Object.keys(target.environment!).join(', ')}).`,
      'Use the standard Splitsend data folder on this computer to schedule routines.',
    )
  for (const text of [target.routineName, target.program, ...target.arguments]) {
    if (/%[^%]+%/.test(text))
      throw new UserFacingError(
        'schedule_percent',
        `${SYSTEM} would read “${text}” differently: it replaces text between two % signs.`,
        'Rename the routine without the % signs, then schedule it again.',
      )
  }
}

export function windowsScheduler(options: SchedulerOptions): Scheduler {
  const { run } = options
  return {
    system: 'windows',
    print: (target) =>
      `${SYSTEM} task ${windowsTaskName(target.routineName)}, ${scheduleWords(target.schedule)}, while you are signed in:\n\n${windowsTaskXml(target, options.now()).replace(/\r\n/g, '\n')}`,
    async register(target) {
      const xml = windowsTaskXml(target, options.now())
      const file = join(options.tempDir, `splitsend-${taskId(target.routineName)}.xml`)
      await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]), { mode: 0o600 })
      try {
        await mustRun(
          run,
          ['schtasks', '/Create', '/TN', windowsTaskName(target.routineName), '/XML', file, '/F'],
          SYSTEM,
        )
      } finally {
        await rm(file, { force: true })
      }
    },
    async unregister(routineName) {
      const name = windowsTaskName(routineName)
      if ((await run(['schtasks', '/Query', '/TN', name])).code !== 0) return
      await mustRun(run, ['schtasks', '/Delete', '/TN', name, '/F'], SYSTEM)
    },
    async status(target) {
      const name = windowsTaskName(target.routineName)
      const query = await run(['schtasks', '/Query', '/TN', name, '/XML'])
      if (query.code !== 0) return { registered: false, upToDate: false, detail: `Not scheduled (no task ${name}).` }
      // Task Scheduler gives the definition back reformatted; compare what the run depends on.
      const wanted = windowsTaskXml(target, options.now())
      const upToDate = essentials(query.stdout) === essentials(wanted)
      return {
        registered: true,
        upToDate,
        detail: upToDate
          ? `Scheduled ${scheduleWords(target.schedule)} (task ${name}).`
          : `Scheduled as task ${name}, but not as the routine says now: schedule it again.`,
      }
    },
  }
}

/** The parts of a task definition that decide when and what it runs, layout aside. */
function essentials(xml: string): string {
  const pick = (element: string): string =>
    new RegExp(`<${element}[^>]*>([\\s\\S]*?)</${element}>`).exec(xml)?.[1] ?? ''
  const time = /<StartBoundary>[^<]*T([^<]*)<\/StartBoundary>/.exec(xml)?.[1] ?? ''
  return [
    time,
    pick('ScheduleByMonth'),
    pick('ScheduleByWeek'),
    pick('ScheduleByDay'),
    pick('Command'),
    pick('Arguments'),
  ]
    .map((part) =>
      part
        .trim()
        .replace(/>\s+</g, '><')
        .replace(/\s*\/>/g, '/>'),
    )
    .join('|')
}

function localDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
