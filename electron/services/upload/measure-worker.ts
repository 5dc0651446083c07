/**
 * Worker thread that measures a job's upload (./measure.ts planActivities) for ./measure-thread.ts:
 * it reads and serialises every contact of the job, so it never runs on the thread that serves the
 * person. Built as its own entry (`out/main/measure-worker.js`).
 */
import { serveRequests } from '../kept-worker'
import { planActivities } from './measure'
import type { MeasureRequest } from './measure-thread'

serveRequests(({ jobDir, sizing, limits }: MeasureRequest) => planActivities(jobDir, sizing, limits))
