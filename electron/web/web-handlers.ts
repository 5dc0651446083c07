/**
 * The contract as the web bridge serves it: the app's services, with what a browser page may ask
 * narrowed to what the person does in that page. A page reaches main only with the bridge's token,
 * but it is still a web page: it can't name a file on disk (only send the bytes of one the person
 * picked or dropped), can't choose a folder to save into, and gets a bounded share of the computer
 * for reading files.
 */
import { rm } from 'node:fs/promises'
import { UserFacingError } from '../../shared/errors'
import { notAvailableHere, type AppServices } from '../services/app-services'
import type { Handlers } from '../services/contract-dispatch'
import type { BridgeDownloads } from './downloads'

/** How many file readings of each kind run at once for the bridge, and how many more may wait. */
const READING_LIMITS = {
  'prepare.inspect': { running: 2, waiting: 6 },
  'prepare.run': { running: 2, waiting: 2 },
} as const

export function createWebHandlers(services: AppServices, downloads: BridgeDownloads): Handlers {
  return {
    ...services.handlers,
    ...limitReadings(services.handlers),
    'files.attachPath': () => {
      throw new UserFacingError(
        'not_available_here',
        'In the browser, Splitsend opens only files you pick or drop in the page.',
        'Drop the spreadsheet on the page, or use “Choose a file”.',
      )
    },
    'prepare.save': (input) => {
      // A page has no folder picker: a folder it names was not chosen by the person.
      if (input.folder !== null)
        throw new UserFacingError(
          'not_available_here',
          'In the browser, Splitsend saves only into its own export folder.',
          'Save the prepared files without choosing a folder.',
        )
      return services.handlers['prepare.save'](input)
    },
    // The browser side serves host requests itself (a file input, a new tab); these answer only a stray call.
    'files.pick': () => {
      throw notAvailableHere('A file dialog')
    },
    'dialog.chooseFolder': () => ({ folder: null, cancelled: false }),
    'links.openExternal': () => false,
    'report.open': () => false,
    'report.save': () => ({ saved: false, path: null }),
    // Files go to the page as downloads the bridge streams from disk, never through the contract.
    'report.download': async ({ jobId, file }) => downloads.offer(await services.downloadable.report(jobId, file)),
    'prepare.download': async ({ jobId, file }) => {
      const folder = await services.files.newPrivateFolder()
      try {
        return downloads.offer(await services.downloadable.preparedCopy(jobId, file, folder), folder)
      } catch (error) {
        await rm(folder, { recursive: true, force: true })
        throw error
      }
    },
    'report.savePdf': () => {
      throw notAvailableHere('Saving as PDF')
    },
  }
}

/** Inspections and full passes, each kind through its own {@link Slots}. */
function limitReadings(handlers: AppServices['handlers']): Pick<Handlers, keyof typeof READING_LIMITS> {
  const inspections = new Slots(READING_LIMITS['prepare.inspect'])
  const passes = new Slots(READING_LIMITS['prepare.run'])
  return {
    'prepare.inspect': (input) => inspections.run(() => handlers['prepare.inspect'](input)),
    'prepare.run': (input) => passes.run(() => handlers['prepare.run'](input)),
  }
}

/**
 * At most `running` pieces of work at once, the next `waiting` in line in order; more than that is
 * refused at once, so a page (or several) can't pile up work the computer must do.
 */
export class Slots {
  private active = 0
  private readonly queue: Array<() => void> = []

  constructor(private readonly limits: { running: number; waiting: number }) {}

  async run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.active >= this.limits.running) {
      if (this.queue.length >= this.limits.waiting)
        throw new UserFacingError(
          'busy',
          'Splitsend is already reading several files for this browser.',
          'Wait until they are read, then try again.',
        )
      await new Promise<void>((start) => this.queue.push(start))
    } else this.active++
    try {
      return await work()
    } finally {
      const next = this.queue.shift()
      // The slot passes straight to the next in line; otherwise it is free.
      if (next) next()
      else this.active--
    }
  }
}
