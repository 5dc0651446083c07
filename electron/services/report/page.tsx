/** @jsxRuntime automatic */
/** @jsxImportSource react */
// The pragmas above make every tool that compiles this file (tsc, tsx, vitest, the build) use React's
// automatic JSX runtime, whatever its own configuration says.
import { renderToStaticMarkup } from 'react-dom/server'
import type { ReportModel, ReportSection, RowStatus } from '../../../shared/upload/schemas'
import { reportDate } from './dates'
import { ROW_STATUS_LABELS } from './row-outcomes'

/**
 * report.html: one printable page, readable by someone who wasn't there, rendered on the server side
 * from the components below. No scripts, nothing loaded from elsewhere (the chart is inline SVG, the
 * styles inline, and the page's own Content-Security-Policy forbids anything else); React escapes
 * every value. The source file appears by its name only: the page is shared, the person's folders
 * are not. Constant Contact's own terms (activity IDs, import numbers, its counts, tries) are only in
 * the technical details at the end.
 */
export function renderReportHtml(model: ReportModel): string {
  return `<!doctype html>\n${renderToStaticMarkup(<ReportPage model={model} />)}\n`
}

const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

const STYLES = `
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 2em auto; max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; } dt { font-weight: 600; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .95em; } th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td:not(:first-child) { font-variant-numeric: tabular-nums; }
.status { font-size: 1.1em; font-weight: 600; padding: .5em .8em; border-left: 6px solid #555; background: #f5f5f5; }
.status-all_added { border-color: #2b7a3d; } .status-some_not_added, .status-cancelled { border-color: #b36b00; } .status-stopped { border-color: #b00020; }
.note { color: #555; font-size: .9em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
`

function ReportPage({ model }: { model: ReportModel }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta httpEquiv="Content-Security-Policy" content={POLICY} />
        <title>{`Splitsend upload report — ${model.sourceFile}`}</title>
        {/* A fixed style sheet of this file, not data: set as it is so its quotes stay quotes. */}
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <main>
          <h1>Splitsend upload report</h1>
          <p className={`status status-${model.status}`}>{model.statusText}</p>
          <Facts model={model} />
          <h2>Groups and lists</h2>
          <GroupsTable model={model} />
          <h2>Every row of the file</h2>
          <OutcomeChart rowCounts={model.rowCounts} />
          <Table headers={['Outcome', 'Rows']} rows={outcomeRows(model)} />
          <p className="note">report.csv, next to this file, lists each row with its outcome.</p>
          <h2>Worth knowing</h2>
          <List items={model.warnings} />
          {model.sections.map((section, i) => (
            <Section key={i} section={section} />
          ))}
          <h2>Technical details</h2>
          <p className="note">
            For Constant Contact’s support, should something need looking into: each import as Constant Contact recorded
            it.
          </p>
          <Activities activities={model.activities} />
          {model.technicalNotes.length > 0 && <List items={model.technicalNotes} />}
        </main>
      </body>
    </html>
  )
}

function Facts({ model }: { model: ReportModel }) {
  const account = model.account
    ? `${model.account.name ?? 'Constant Contact account'}${model.account.email ? ` (${model.account.email})` : ''}${model.account.practice ? ' — practice account on this computer, nothing was really sent' : ''}`
    : 'not recorded'
  const facts: Array<[string, string]> = [
    ['File', model.sourceFile],
    ['Prepared', reportDate(model.preparedAt)],
    ['Uploaded', model.uploadStartedAt ? reportDate(model.uploadStartedAt) : 'not yet'],
    ['Constant Contact account', account],
    ['Rows in the file', n(model.rowsInFile)],
    ['Report made', reportDate(model.generatedAt)],
  ]
  return (
    <dl>{facts.map(([term, value]) => [<dt key={`t-${term}`}>{term}</dt>, <dd key={`d-${term}`}>{value}</dd>])}</dl>
  )
}

function GroupsTable({ model }: { model: ReportModel }) {
  const rows = model.groups.map((g) => [
    g.groupName,
    n(g.rows),
    g.skipped
      ? 'skipped (not uploaded)'
      : `${g.listName ?? ''}${g.listCreated ? ' (new list)' : ''}${g.membersBefore ? ` — had ${n(g.membersBefore)} members before` : ''}`,
    g.skipped ? '—' : n(g.added),
    g.skipped ? '—' : n(g.notAdded),
    g.skipped ? '—' : n(g.notSent),
  ])
  return <Table headers={['Group', 'Rows', 'List', 'Added', 'Not added', 'Not sent / not finished']} rows={rows} />
}

/** Constant Contact's error lines shown per activity; the rest are counted. */
const ERROR_LINES_SHOWN = 20

function Activities({ activities }: { activities: ReportModel['activities'] }) {
  if (activities.length === 0) return <p>No imports were sent.</p>
  const count = (a: (typeof activities)[number], pick: (c: NonNullable<typeof a.counts>) => number): string =>
    a.counts ? n(pick(a.counts)) : '—'
  const rows = activities.map((a) => [
    a.id,
    a.activityId ?? '—',
    n(a.contacts),
    a.state,
    count(a, (c) => c.person_count),
    count(a, (c) => c.error_count),
    count(a, (c) => c.correctable_count),
    count(a, (c) => c.cannot_add_to_list_count),
    String(a.attempts),
  ])
  const errorLines = activities.flatMap((a) => {
    const hidden = a.errors.length - Math.min(ERROR_LINES_SHOWN, a.errors.length) + a.moreErrors
    return [
      ...a.errors.slice(0, ERROR_LINES_SHOWN).map((e) => `Import ${a.id}: ${e}`),
      ...(hidden ? [`Import ${a.id}: ${n(hidden)} more error lines.`] : []),
    ]
  })
  return (
    <>
      <Table
        headers={[
          'Import',
          'Constant Contact activity ID',
          'Contacts',
          'State',
          'Added',
          'Errors',
          'Correctable',
          'Unsubscribed before',
          'Tries',
        ]}
        rows={rows}
      />
      {errorLines.length > 0 && (
        <>
          <h3>What Constant Contact reported</h3>
          <List items={errorLines} />
        </>
      )}
    </>
  )
}

const BAR_COLORS: Record<RowStatus, string> = {
  added: '#2b7a3d',
  activity_errors: '#b36b00',
  not_added: '#b00020',
  processing: '#3366aa',
  not_sent: '#888888',
  skipped: '#bbbbbb',
  left_out: '#7a4fa0',
}

/** A horizontal bar per outcome, with its count; inline SVG so it prints and needs nothing else. */
function OutcomeChart({ rowCounts }: { rowCounts: ReportModel['rowCounts'] }) {
  const outcomes = outcomesOf(rowCounts)
  if (outcomes.length === 0) return null
  const max = Math.max(...outcomes.map((s) => rowCounts[s]))
  const total = outcomes.reduce((sum, s) => sum + rowCounts[s], 0)
  const labelWidth = 240
  const barWidth = 380
  const rowHeight = 26
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      role="img"
      aria-label={`Rows by outcome, ${n(total)} in all`}
      width="100%"
      viewBox={`0 0 ${labelWidth + barWidth + 90} ${outcomes.length * rowHeight + 8}`}
      fontSize="13"
      fontFamily="system-ui, sans-serif"
    >
      {outcomes.map((s, i) => {
        const y = 4 + i * rowHeight
        const width = Math.max(2, Math.round((rowCounts[s] / max) * barWidth))
        return (
          <g key={s}>
            <text x={labelWidth - 8} y={y + 16} textAnchor="end">
              {ROW_STATUS_LABELS[s]}
            </text>
            <rect x={labelWidth} y={y + 3} width={width} height={rowHeight - 8} fill={BAR_COLORS[s]} />
            <text x={labelWidth + width + 6} y={y + 16}>
              {n(rowCounts[s])}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

function Section({ section }: { section: ReportSection }) {
  return (
    <>
      <h2>{section.title}</h2>
      {(section.paragraphs ?? []).map((p, i) => (
        <p key={i}>{p}</p>
      ))}
      {section.table && <Table headers={section.table.headers} rows={section.table.rows} />}
    </>
  )
}

function Table({ headers, rows }: { headers: string[]; rows: string[][] }) {
  return (
    <table>
      <thead>
        <tr>
          {headers.map((h, i) => (
            <th key={i}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={r}>
            {row.map((cell, c) => (
              <td key={c}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function List({ items }: { items: string[] }) {
  if (items.length === 0) return <p>None.</p>
  return (
    <ul>
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  )
}

/** The outcomes that have rows, in the order of the labels. */
function outcomesOf(rowCounts: ReportModel['rowCounts']): RowStatus[] {
  return (Object.keys(ROW_STATUS_LABELS) as RowStatus[]).filter((s) => rowCounts[s] > 0)
}

/** The rows by outcome, "Left out" told apart by why. */
function outcomeRows(model: ReportModel): string[][] {
  return outcomesOf(model.rowCounts).flatMap((s) =>
    s === 'left_out' && model.leftOut.length > 0
      ? model.leftOut.map((l) => [`${ROW_STATUS_LABELS.left_out}: ${l.title}`, n(l.rows)])
      : [[ROW_STATUS_LABELS[s], n(model.rowCounts[s])]],
  )
}

function n(value: number): string {
  return value.toLocaleString('en-US')
}
