import { readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeJobReport } from '../../../electron/services/report/build'
import { preparedJob } from '../upload/helpers'
import { recordAcceptedSend, writeUploadJournal } from './fixtures'

describe('report.html', () => {
  it('is one page with a main landmark, no script, nothing from elsewhere, and the file’s name but not its path', async () => {
    const job = await preparedJob({ group0: 4, group1: 3, problems: 2, tag: 'html' })
    // A group name the person typed, with markup in it.
    const summaryPath = join(job.dir, 'summary.json')
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
    summary.groupNames['0'] = '<script>alert("hi")</script> & friends'
    writeFileSync(summaryPath, JSON.stringify(summary))
    writeUploadJournal(job.dir, summary)
    recordAcceptedSend(job.dir, '1', 'Welcome <b>back</b>')

    const html = readFileSync(writeJobReport(job.dir).htmlPath, 'utf8')

    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html.match(/<main>/g)).toHaveLength(1)
    expect(html).toMatch(/<main><h1>Splitsend upload report<\/h1>[\s\S]*<\/main><\/body>/)
    expect(html).toContain(`content="default-src &#x27;none&#x27;; style-src &#x27;unsafe-inline&#x27;; img-src data:"`)
    // No script of any kind, nothing loaded: no sources, links, imports or event handlers.
    expect(html).not.toMatch(/<script|\son[a-z]+=|\ssrc=|\shref=|@import|url\(/i)
    expect(html).toContain('&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; friends')
    expect(html).toContain('Welcome &lt;b&gt;back&lt;/b&gt;')
    // The source file by its name only.
    expect(dirname(summary.source.path)).toMatch(/[/\\]source-\w+$/)
    expect(html).toContain(`<dd>${basename(summary.source.path)}</dd>`)
    expect(html).not.toContain(dirname(summary.source.path))
    // Nor the report the app is given (its path stays in the job's summary.json, in main).
    expect(readFileSync(join(job.dir, 'report.json'), 'utf8')).not.toContain(dirname(summary.source.path))
    // The chart is inline SVG; the page prints.
    expect(html).toMatch(
      /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" role="img" aria-label="Rows by outcome, 9 in all"/,
    )
    expect(html).toContain('@media print')
    expect(html).toContain('<h2>Sends</h2>')
  })

  it('speaks the person’s language: Constant Contact’s terms only in the technical details, past tense, left-out rows by why', async () => {
    const job = await preparedJob({ group0: 4, group1: 3, problems: 2, tag: 'words' })
    const summary = JSON.parse(readFileSync(join(job.dir, 'summary.json'), 'utf8'))
    writeUploadJournal(job.dir, summary)
    recordAcceptedSend(job.dir, '1', 'Welcome back')
    const report = writeJobReport(job.dir)
    const html = readFileSync(report.htmlPath, 'utf8')
    const text = html.replace(/<style[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ')
    const [main, technical] = text.split('Technical details')
    expect(technical).toBeDefined()
    for (const word of ['activity ID', 'Import 0-1', 'Correctable', 'Tries', 'Activity'])
      expect(main, `“${word}” only in the technical details`).not.toContain(word)
    expect(technical).toContain('Constant Contact activity ID')
    // No ISO time stamps anywhere a person reads them.
    expect(main).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/)
    expect(main).toContain('The upload finished: Constant Contact added all 7 contacts to their lists.')
    expect(report.model.statusText).toBe('The upload finished: Constant Contact added all 7 contacts to their lists.')
    // "Left out", told apart by why.
    expect(report.model.leftOut.map((l) => l.title)).toEqual(['No email address', 'Email address not usable'])
    expect(main).toContain('Left out: No email address')
    // report.csv's outcome words are plain; the activity ID is its last, technical column.
    const csv = readFileSync(report.csvPath, 'utf8')
      .replace(/^\ufeff/, '')
      .split('\r\n')
    expect(csv[0]).toBe('Row,Email,Group,Outcome,Details,List,Status,Activity ID (technical)')
    expect(
      csv
        .slice(1)
        .filter(Boolean)
        .map((line) => line.split(',').at(-2)),
    ).not.toContain('left_out')
    expect(csv.join('\n')).toContain(',Left out,')
  })
})
