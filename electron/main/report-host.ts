import { app, BrowserWindow, shell } from 'electron'
import { copyFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UserFacingError } from '../../shared/errors'
import type { ReportFiles } from '../../shared/upload/schemas'
import type { Handlers } from '../services/contract-dispatch'
import { reportFileName } from '../services/report/handlers'
import { showSaveDialog } from './dialogs'

type ReportHostRequest = 'report.open' | 'report.save' | 'report.savePdf'

const FILTERS = {
  csv: [{ name: 'CSV (Excel and other spreadsheets)', extensions: ['csv'] }],
  html: [{ name: 'Web page', extensions: ['html'] }],
  pdf: [{ name: 'PDF', extensions: ['pdf'] }],
}

/**
 * The desktop app's way with report files: open them with the computer's own app, save a copy
 * through the native save dialog, or print report.html to a PDF in a hidden window that runs no
 * script and has no preload (report.html needs neither).
 */
export function createReportHostHandlers(
  reportFiles: (jobId: string) => Promise<ReportFiles> | ReportFiles,
): Pick<Handlers, ReportHostRequest> {
  const chooseTarget = async (title: string, name: string, filters: Electron.FileFilter[]): Promise<string | null> => {
    const result = await showSaveDialog({ title, defaultPath: join(app.getPath('documents'), name), filters })
    return result.canceled || !result.filePath ? null : result.filePath
  }

  return {
    'report.open': async ({ jobId, file }) => {
      const files = await reportFiles(jobId)
      const problem = await shell.openPath(file === 'csv' ? files.csvPath : files.htmlPath)
      if (problem) {
        throw new UserFacingError(
          'cannot_open',
          `This computer could not open report.${file}.`,
          'Save a copy instead and open it from where you saved it.',
        )
      }
      return true
    },

    'report.save': async ({ jobId, file }) => {
      const files = await reportFiles(jobId)
      const target = await chooseTarget(`Save report.${file}`, reportFileName(files.sourceFile, file), FILTERS[file])
      if (!target) return { saved: false, path: null }
      await copyFile(file === 'csv' ? files.csvPath : files.htmlPath, target)
      return { saved: true, path: target }
    },

    'report.savePdf': async ({ jobId }) => {
      const files = await reportFiles(jobId)
      const target = await chooseTarget(
        'Save the report as PDF',
        reportFileName(files.sourceFile, 'html').replace(/\.html$/, '.pdf'),
        FILTERS.pdf,
      )
      if (!target) return { saved: false, path: null }
      const window = new BrowserWindow({
        show: false,
        webPreferences: {
          javascript: false,
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          webSecurity: true,
          webviewTag: false,
          spellcheck: false,
        },
      })
      try {
        await window.loadFile(files.htmlPath)
        const pdf = await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' })
        await writeFile(target, pdf)
      } finally {
        window.destroy()
      }
      return { saved: true, path: target }
    },
  }
}
