import type { EventSink } from '../../../shared/contract'
import { UserFacingError } from '../../../shared/errors'
import type { UploadStepProgress, UploadStepRun } from '../membership/upload-step'
import { progressView, resultView, type LiveRun } from './views'

/**
 * The uploads running in this session, one per job: their progress goes out as `upload.progress`
 * events and their end as `upload.finished`; what they last said stays here for `upload.status`.
 */
export class LiveRuns {
  private readonly runs = new Map<string, LiveRun>()

  constructor(private readonly emit: EventSink) {}

  /** The job's run in this session (running, paused or ended), if any. */
  get(jobId: string): LiveRun | undefined {
    return this.runs.get(jobId)
  }

  /** Whether the job's run here is going: running, or paused by the person; undefined when none is. */
  state(jobId: string): 'running' | 'paused' | undefined {
    const live = this.runs.get(jobId)
    if (!live || live.result !== null) return undefined
    return live.run.paused ? 'paused' : 'running'
  }

  isActive(jobId: string): boolean {
    return this.runs.get(jobId)?.result === null
  }

  refuseIfActive(jobId: string): void {
    if (this.isActive(jobId))
      throw new UserFacingError(
        'upload_running',
        'This file is already being uploaded.',
        'Wait for it to finish, or pause or cancel it first.',
      )
  }

  /** The job's run that hasn't ended; refuses when there is none. */
  active(jobId: string): UploadStepRun {
    if (!this.isActive(jobId))
      throw new UserFacingError(
        'upload_not_running',
        'This upload is not running.',
        'Start it again from the Upload step.',
      )
    return this.runs.get(jobId)!.run
  }

  /** Starts the job's run with `begin`, which gets the function to call with each progress snapshot. */
  start(jobId: string, begin: (onProgress: (progress: UploadStepProgress) => void) => UploadStepRun): void {
    this.refuseIfActive(jobId)
    const live: LiveRun = { run: undefined as unknown as UploadStepRun, progress: null, result: null }
    live.run = begin((progress) => {
      live.progress = progressView(progress)
      this.emit('upload.progress', { jobId, progress: live.progress })
    })
    this.runs.set(jobId, live)
    live.progress ??= progressView(live.run.progress())
    void live.run.done.then((result) => {
      live.result = resultView(result)
      live.progress = progressView(live.run.progress())
      this.emit('upload.finished', { jobId, result: live.result })
    })
  }

  /** Pauses (not cancels) every active run, so its journal stays unfinished and the next start offers to resume it. */
  pauseAll(): void {
    for (const live of this.runs.values()) if (live.result === null) live.run.pause()
  }
}
