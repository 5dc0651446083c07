/**
 * The practice account's local Constant Contact in a worker thread of its own (./practice-worker.ts),
 * so the thread that serves the person (the Electron main process, the web bridge, the command)
 * never opens, saves or works through the practice account's contacts. The thread has a memory
 * limit: past it, V8 ends the thread, not the app, and the account service starts it again at the
 * next use (see {@link PracticeThread.ended}).
 */
import type { Worker } from 'node:worker_threads'
import { UserFacingError, type ContractErrorData } from '../../../shared/errors'
import type { SpeedSetting } from '../cc-simulator/activities'
import type { SimulatorOptions } from '../cc-simulator/index'
import { errorFrom } from '../kept-worker'
import { startWorker } from '../worker-entry'

/** What the thread starts its local Constant Contact with, or the folder whose kept account it resets. */
export type PracticeWorkerData =
  { options: Omit<SimulatorOptions, 'onNotice'>; requestsPerSecond?: number } | { resetFolder: string }

/**
 * Resets the practice account kept in `dataDir` while its local Constant Contact isn't running, in a
 * thread of its own (it reads the account to keep its sign-ins). Resolves whether there was one.
 */
export function resetPracticeInThread(dataDir: string, memoryMb = PRACTICE_MEMORY_MB): Promise<boolean> {
  const worker = practiceWorker({ resetFolder: dataDir }, memoryMb)
  return new Promise((resolve, reject) => {
    worker.on('message', (message: PracticeWorkerMessage) => {
      if (message.type === 'reset') resolve(message.hadState)
      else if (message.type === 'failed') reject(errorFrom(message.error, message.detail))
    })
    worker.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory() : error),
    )
    worker.on('exit', (code) => reject(new Error(`The practice account's reset stopped (exit code ${code}).`)))
  })
}

function practiceWorker(data: PracticeWorkerData, memoryMb: number): Worker {
  return startWorker('practice-worker', 'electron/services/account/practice-worker.ts', {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  })
}

type PracticeCommand = { type: 'reset' } | { type: 'speed'; speed: SpeedSetting } | { type: 'close' }
export type PracticeRequest = PracticeCommand & { id: number }

export type PracticeWorkerMessage =
  | { type: 'ready'; apiBase: string; authBase: string }
  | { type: 'notice'; message: string }
  | { type: 'done'; id: number }
  /** The kept account was reset (`hadState`: there was one). */
  | { type: 'reset'; hadState: boolean }
  /** `id` 0: the local Constant Contact could not start. */
  | { type: 'failed'; id: number; error: ContractErrorData; detail?: string }

/**
 * A practice account's state holds every contact practised with: a million take about 370 MB of
 * heap once opened. Ten times that is far past any practice, and still leaves the computer room.
 */
const PRACTICE_MEMORY_MB = 4096

export interface PracticeThread {
  apiBase: string
  authBase: string
  reset(): Promise<void>
  setSpeed(speed: SpeedSetting): Promise<void>
  /** Saves the account and ends the thread. */
  close(): Promise<void>
  /** Settles when the thread ended without being closed (out of memory, a failure), with why. */
  ended: Promise<Error>
}

const outOfMemory = (): UserFacingError =>
  new UserFacingError(
    'practice_out_of_memory',
    'The practice account holds more contacts than Splitsend can work with, and stopped.',
    'Reset the practice account on the Connect step (what you uploaded to it goes; your jobs stay), then connect to it again.',
  )

/**
 * Starts the thread; resolves once its local Constant Contact answers, rejects if it can't start.
 * `memoryMb` (tests) is the thread's memory limit.
 */
export function startPracticeThread(
  data: Extract<PracticeWorkerData, { options: unknown }>,
  onNotice: (message: string) => void,
  memoryMb = PRACTICE_MEMORY_MB,
): Promise<PracticeThread> {
  const worker = practiceWorker(data, memoryMb)
  const requests = new PracticeRequests(worker)
  return new Promise((resolve, reject) => {
    let started = false
    let closing = false
    let ended: (why: Error) => void = () => {}
    const gone = (why: Error): void => {
      requests.failAll(why)
      if (!started) reject(why)
      else if (!closing) ended(why)
    }
    worker.on('message', (message: PracticeWorkerMessage) => {
      if (message.type === 'notice') onNotice(message.message)
      else if (message.type === 'failed' && message.id === 0) {
        gone(errorFrom(message.error, message.detail))
        void worker.terminate()
      } else if (message.type === 'ready') {
        started = true
        resolve({
          apiBase: message.apiBase,
          authBase: message.authBase,
          reset: () => requests.ask({ type: 'reset' }),
          setSpeed: (speed) => requests.ask({ type: 'speed', speed }),
          async close() {
            closing = true
            // Its last save failing (a full disk, its memory) is said; a thread already gone has nothing to save.
            const goneBefore = requests.gone
            const saved = await requests.ask({ type: 'close' }).then(
              () => undefined,
              (error: unknown) => error,
            )
            await worker.terminate()
            if (saved && !goneBefore) throw saved
          },
          ended: new Promise((end) => (ended = end)),
        })
      } else if (message.type !== 'reset') requests.answer(message)
    })
    worker.on('error', (error: NodeJS.ErrnoException) =>
      gone(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory() : error),
    )
    worker.on('exit', (code) =>
      gone(
        new UserFacingError(
          'practice_stopped',
          `The practice account stopped unexpectedly (exit code ${code}).`,
          'Splitsend starts it again when it is next needed; an upload or send to it that was under way may need to be started again, and if Splitsend asks, connect to it again.',
        ),
      ),
    )
  })
}

/** The requests sent to the thread and not yet answered. */
class PracticeRequests {
  private readonly waiting = new Map<number, { resolve(): void; reject(error: Error): void }>()
  private nextId = 1
  private goneWith: Error | undefined

  constructor(private readonly worker: Worker) {}

  ask(request: PracticeCommand): Promise<void> {
    if (this.goneWith) return Promise.reject(this.goneWith)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.worker.postMessage({ ...request, id })
    })
  }

  answer(message: Extract<PracticeWorkerMessage, { id: number }>): void {
    const request = this.waiting.get(message.id)
    this.waiting.delete(message.id)
    if (message.type === 'done') request?.resolve()
    else request?.reject(errorFrom(message.error, message.detail))
  }

  /** The thread has ended. */
  get gone(): boolean {
    return this.goneWith !== undefined
  }

  failAll(why: Error): void {
    this.goneWith ??= why
    for (const request of this.waiting.values()) request.reject(why)
    this.waiting.clear()
  }
}
