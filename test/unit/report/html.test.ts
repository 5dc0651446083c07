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
})
