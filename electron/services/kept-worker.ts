/**
 * A worker thread kept for the requests of one kind (writing a job's report, inspecting a file),
 * so the thread that serves the person (the Electron main process, the web bridge, the command)
 * never does work that grows with a file's or a job's size, and a file that asks for too much
 * costs an error message, never the process:
 *
 *   - the worker runs with a memory limit (`resourceLimits`): past it, V8 ends the worker, not the
 *     process, and the request fails with the plain message given for it;
 *   - a request may be given a time limit: past it, the worker is ended and the request fails;
 *   - the worker is started at the first request and kept for the next ones (starting one costs
 *     more than a small request), ended after a while with nothing to do, and holds the process
 *     open only while it works.
 *
 * The worker's side is {@link serveRequests}. Requests are done one after another, in the order
 * asked, so when a worker is lost the request it was doing is known: that one fails, the others
 * go to a new worker.
 */
import { parentPort, type ResourceLimits, type Worker } from 'node:worker_threads'
import { toErrorData, UserFacingError, type ContractErrorData } from '../../shared/errors'
import { startWorker } from './worker-entry'

export interface KeptWorkerOptions {
  /** The worker's entry name and its source (see startWorker). */
  entry: string
  sourcePath: string
  resourceLimits: ResourceLimits
  /** How long the worker is kept with nothing to do. */
  idleMs: number
  /** The error of a request whose worker went past its memory limit. */
  outOfMemory(): UserFacingError
  /** The longest one request may take, and its error then. */
  timeLimit?: { ms: number; error(): UserFacingError }
}

type Answer<Out> =
  { id: number; ok: true; output: Out } | { id: number; ok: false; error: ContractErrorData; detail?: string }

interface Pending<In, Out> {
  input: In
  resolve(output: Out): void
  reject(error: unknown): void
}

/**
 * A module's one kept worker: made at its first request, ended by `stop` (when the app or the web
 * bridge closes); a request after that makes a new one.
 */
export class KeptWorkerSlot<In, Out> {
  private worker: KeptWorker<In, Out> | undefined

  constructor(private readonly options: KeptWorkerOptions) {}

  get(): KeptWorker<In, Out> {
    return (this.worker ??= new KeptWorker(this.options))
  }

  /** A worker is there now (nothing to close or stop otherwise). */
  get made(): boolean {
    return this.worker !== undefined
  }

  async stop(): Promise<void> {
    const stopping = this.worker
    this.worker = undefined
    await stopping?.close()
  }
}

export class KeptWorker<In, Out> {
  private worker: Worker | undefined
  private readonly pending = new Map<number, Pending<In, Out>>()
  private nextId = 1
  private idleTimer: NodeJS.Timeout | undefined
  private timeTimer: NodeJS.Timeout | undefined
  /** The worker has started (its start is not counted in a request's time). */
  private online = false

  constructor(private readonly options: KeptWorkerOptions) {}

  run(input: In): Promise<Out> {
    clearTimeout(this.idleTimer)
    const worker = this.worker ?? this.start()
    worker.ref()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { input, resolve, reject })
      if (this.pending.size === 1) this.timeCurrent(worker)
      worker.postMessage({ id, input })
    })
  }

  /** Starts the worker ahead of its first request, so that one doesn't wait for it. */
  warm(): void {
    if (this.worker) return
    this.start()
    this.rest()
  }

  /** Ends the worker; requests still waiting fail. */
  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    clearTimeout(this.idleTimer)
    clearTimeout(this.timeTimer)
    const waiting = [...this.pending.values()]
    this.pending.clear()
    for (const request of waiting) request.reject(new UserFacingError('cancelled', 'Splitsend is closing.'))
    await worker?.terminate()
  }

  private start(): Worker {
    const worker = startWorker(this.options.entry, this.options.sourcePath, {
      resourceLimits: this.options.resourceLimits,
    })
    this.online = false
    worker.once('online', () => {
      if (this.worker !== worker) return
      this.online = true
      if (this.pending.size > 0) this.timeCurrent(worker)
    })
    worker.on('message', (answer: Answer<Out>) => this.answer(worker, answer))
    worker.on('error', (error: NodeJS.ErrnoException) =>
      this.lost(worker, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? this.options.outOfMemory() : error),
    )
    worker.on('exit', (code) =>
      this.lost(worker, new Error(`The ${this.options.entry} stopped unexpectedly (exit code ${code})`)),
    )
    this.worker = worker
    return worker
  }

  private answer(worker: Worker, answer: Answer<Out>): void {
    const request = this.pending.get(answer.id)
    if (!request) return
    this.pending.delete(answer.id)
    clearTimeout(this.timeTimer)
    if (answer.ok) request.resolve(answer.output)
    else request.reject(errorFrom(answer.error, answer.detail))
    if (this.pending.size === 0) this.rest()
    else this.timeCurrent(worker)
  }

  /** The request now being done gets its time limit (from when the worker has started). */
  private timeCurrent(worker: Worker): void {
    const limit = this.options.timeLimit
    if (!limit || !this.online) return
    clearTimeout(this.timeTimer)
    this.timeTimer = setTimeout(() => {
      this.lost(worker, limit.error())
      void worker.terminate()
    }, limit.ms)
    this.timeTimer.unref()
  }

  /** Nothing to do: let the process end without it, and end it after a while. */
  private rest(): void {
    const worker = this.worker
    worker?.unref()
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.pending.size) return
      this.worker = undefined
      void worker?.terminate()
    }, this.options.idleMs)
    this.idleTimer.unref()
  }

  /** The worker is gone (out of memory, too slow): the request it was doing fails; the others go to a new one. */
  private lost(worker: Worker, error: unknown): void {
    if (this.worker !== worker) return
    this.worker = undefined
    clearTimeout(this.timeTimer)
    const [current, ...waiting] = [...this.pending.values()]
    this.pending.clear()
    current?.reject(error)
    for (const request of waiting) this.run(request.input).then(request.resolve, request.reject)
    if (!waiting.length) clearTimeout(this.idleTimer)
  }
}

/** An error as the worker sent it: the person's words, or (unexpected) the details for the log. */
export function errorFrom(data: ContractErrorData, detail: string | undefined): Error {
  if (detail && process.env.SPLITSEND_DEBUG) process.stderr.write(`${detail}\n`)
  return data.code === 'unexpected'
    ? new Error(detail ?? data.message)
    : new UserFacingError(data.code, data.message, data.hint)
}

/** An error as a worker sends it: what the person sees, and the details of an unexpected one. */
export function errorMessage(error: unknown): { error: ContractErrorData; detail?: string } {
  const data = toErrorData(error)
  return data.code === 'unexpected'
    ? { error: data, detail: String((error as Error)?.stack ?? error) }
    : { error: data }
}

export interface ServeOptions<Out> {
  /** The parts of an answer handed over to the asking thread instead of copied. */
  transfer?: (output: Out) => ArrayBuffer[]
  /**
   * The worker's own tidy-up after `ms` without a request: files it keeps open are closed here,
   * before its KeptWorker ends it (ending a thread doesn't close the files it opened).
   */
  idle?: { ms: number; tidy(): void }
}

/** The worker's side of a {@link KeptWorker}: answers each request with `handle`, one after another. */
export function serveRequests<In, Out>(
  handle: (input: In) => Out | Promise<Out>,
  { transfer = () => [], idle }: ServeOptions<Out> = {},
): void {
  const port = parentPort!
  let queue = Promise.resolve()
  let idleTimer: NodeJS.Timeout | undefined
  port.on('message', ({ id, input }: { id: number; input: In }) => {
    clearTimeout(idleTimer)
    if (idle) {
      idleTimer = setTimeout(() => void queue.then(idle.tidy), idle.ms)
      idleTimer.unref()
    }
    queue = queue.then(async () => {
      try {
        const output = await handle(input)
        port.postMessage({ id, ok: true, output } satisfies Answer<Out>, transfer(output))
      } catch (error) {
        port.postMessage({ id, ok: false, ...errorMessage(error) } satisfies Answer<Out>)
      }
    })
  })
}

/**
 * What a kept worker holds open for each run it serves (a run's files), at most `max` at once: a
 * run closes its own when it ends, so more than that means one ended without closing (its thread
 * was lost), and the oldest is closed.
 */
export class OpenPerRun<T extends { close(): unknown }> {
  private readonly open = new Map<string, T>()

  constructor(private readonly max = 8) {}

  get(run: string, make: () => T): T {
    let held = this.open.get(run)
    if (!held) {
      if (this.open.size >= this.max) {
        const [oldestRun, oldest] = this.open.entries().next().value!
        this.open.delete(oldestRun)
        void oldest.close()
      }
      held = make()
      this.open.set(run, held)
    }
    return held
  }

  async close(run: string): Promise<void> {
    const held = this.open.get(run)
    this.open.delete(run)
    await held?.close()
  }

  /** A worker with nothing to do closes everything (a run that goes on opens its files again). */
  closeAll(): void {
    for (const held of this.open.values()) void held.close()
    this.open.clear()
  }
}
