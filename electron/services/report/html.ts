import type { ReportModel, ReportSection } from './model'
import { ROW_STATUS_LABELS, type RowStatus } from './row-outcomes'

/**
 * report.html: one printable page, readable by someone who wasn't there. No scripts, no remote
 * content (the chart is inline SVG, the styles are inline), every value escaped.
 */
export function renderReportHtml(model: ReportModel): string {
  const when = (iso: string | undefined): string =>
    iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'long', timeStyle: 'short' }) : '—'
  const account = model.account
    ? `${model.account.name ?? 'Constant Contact account'}${model.account.email ? ` (${model.account.email})` : ''}${model.account.practice ? ' — practice account on this computer, nothing was really sent' : ''}`
    : 'not recorded'
  const facts: Array<[string, string]> = [
    ['File', `${model.sourceFile} (${model.sourcePath})`],
    ['Prepared', when(model.preparedAt)],
    ['Uploaded', when(model.uploadStartedAt)],
    ['Constant Contact account', account],
    ['Rows in the file', n(model.rowsInFile)],
    ['Report made', when(model.generatedAt)],
  ]
  const groupRows = model.groups.map((g) => [
    g.groupName,
    n(g.rows),
    g.skipped
      ? 'skipped (not uploaded)'
      : `${g.listName ?? ''}${g.listCreated ? ' (new list)' : ''}${g.membersBefore ? ` — had ${n(g.membersBefore)} members before` : ''}`,
    g.skipped ? '—' : n(g.added),
    g.skipped ? '—' : n(g.notAdded),
    g.skipped ? '—' : n(g.notSent),
  ])
  const outcomeRows = (Object.keys(ROW_STATUS_LABELS) as RowStatus[])
    .filter((s) => model.rowCounts[s] > 0)
    .map((s) => [ROW_STATUS_LABELS[s], n(model.rowCounts[s])])
  const activityRows = model.activities.map((a) => [
    a.id,
    a.activityId ?? '—',
    n(a.contacts),
    a.state,
    a.counts ? n(a.counts.person_count) : '—',
    a.counts ? n(a.counts.error_count) : '—',
    a.counts ? n(a.counts.correctable_count) : '—',
    a.counts ? n(a.counts.cannot_add_to_list_count) : '—',
    String(a.attempts),
  ])
  const errorLines = model.activities.flatMap((a) => [
    ...a.errors.slice(0, 20).map((e) => `Activity ${a.id}: ${e}`),
    ...(a.errors.length > 20 || a.moreErrors
      ? [`Activity ${a.id}: ${n(a.errors.length - Math.min(20, a.errors.length) + a.moreErrors)} more error lines.`]
      : []),
  ])

  const body = [
    `<h1>Splitsend upload report</h1>`,
    `<p class="status status-${esc(model.status)}">${esc(model.statusText)}</p>`,
    `<dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
    `<h2>Groups and lists</h2>`,
    table(['Group', 'Rows', 'List', 'Added', 'Not added', 'Not sent / not finished'], groupRows),
    `<h2>Every row of the file</h2>`,
    chart(model),
    table(['Outcome', 'Rows'], outcomeRows),
    `<p class="note">report.csv, next to this file, lists each row with its outcome.</p>`,
    `<h2>Import activities</h2>`,
    model.activities.length
      ? table(
          [
            'Activity',
            'Constant Contact activity ID',
            'Contacts',
            'State',
            'Added',
            'Errors',
            'Correctable',
            'Unsubscribed before',
            'Tries',
          ],
          activityRows,
        )
      : '<p>None.</p>',
    errorLines.length
      ? `<h3>What Constant Contact reported</h3><ul>${errorLines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`
      : '',
    `<h2>Warnings</h2>`,
    model.warnings.length ? `<ul>${model.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '<p>None.</p>',
    ...model.sections.map(section),
  ].join('\n')

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Splitsend upload report — ${esc(model.sourceFile)}</title>
<style>
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 2em auto; max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; } dt { font-weight: 600; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .95em; } th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td:not(:first-child) { font-variant-numeric: tabular-nums; }
.status { font-size: 1.1em; font-weight: 600; padding: .5em .8em; border-left: 6px solid #555; background: #f5f5f5; }
.status-all_added { border-color: #2b7a3d; } .status-some_not_added, .status-cancelled { border-color: #b36b00; } .status-stopped { border-color: #b00020; }
.note { color: #555; font-size: .9em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
</style>
</head>
<body>
${body}
</body>
</html>
`
}

const COLORS: Record<string, string> = {
  added: '#2b7a3d',
  activity_errors: '#b36b00',
  not_added: '#b00020',
  processing: '#3366aa',
  not_sent: '#888888',
  skipped: '#bbbbbb',
  left_out: '#7a4fa0',
}

/** A horizontal bar per outcome, with its count; inline SVG so it prints and needs nothing else. */
function chart(model: ReportModel): string {
  const entries = (Object.keys(ROW_STATUS_LABELS) as RowStatus[]).filter((s) => model.rowCounts[s] > 0)
  if (entries.length === 0) return ''
  const max = Math.max(...entries.map((s) => model.rowCounts[s]))
  const labelWidth = 240
  const barWidth = 380
  const rowHeight = 26
  const height = entries.length * rowHeight + 8
  const bars = entries
    .map((s, i) => {
      const y = 4 + i * rowHeight
      const w = Math.max(2, Math.round((model.rowCounts[s] / max) * barWidth))
      return (
        `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${esc(ROW_STATUS_LABELS[s])}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${rowHeight - 8}" fill="${COLORS[s]}"/>` +
        `<text x="${labelWidth + w + 6}" y="${y + 16}">${esc(n(model.rowCounts[s]))}</text>`
      )
    })
    .join('')
  const total = entries.reduce((sum, s) => sum + model.rowCounts[s], 0)
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Rows by outcome, ${esc(n(total))} in all" width="100%" viewBox="0 0 ${labelWidth + barWidth + 90} ${height}" font-size="13" font-family="system-ui, sans-serif">${bars}</svg>`
}

function section(s: ReportSection): string {
  return [
    `<h2>${esc(s.title)}</h2>`,
    ...(s.paragraphs ?? []).map((p) => `<p>${esc(p)}</p>`),
    s.table ? table(s.table.headers, s.table.rows) : '',
  ].join('\n')
}

function table(headers: string[], rows: string[][]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

function n(value: number): string {
  return value.toLocaleString('en-US')
}
