/**
 * Worker thread that runs the practice account's local Constant Contact for ./practice.ts. Opening
 * and saving the account, and every import, export and send it works through, cost what the person
 * has practised with (a million contacts take seconds to open), so none of it runs on the
 * thread that serves the person. Built as its own entry (`out/main/practice-worker.js`).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { resetSimulatorData, startSimulator, type RunningSimulator } from '../cc-simulator/index'
import { errorMessage } from '../kept-worker'
import type { PracticeRequest, PracticeWorkerData, PracticeWorkerMessage } from './practice-thread'

const port = parentPort!
const tell = (message: PracticeWorkerMessage): void => port.postMessage(message)

async function start({
  options,
  requestsPerSecond,
}: Extract<PracticeWorkerData, { options: unknown }>): Promise<RunningSimulator> {
  const sim = await startSimulator({ ...options, onNotice: (message) => tell({ type: 'notice', message }) })
  if (requestsPerSecond) sim.control.setLimits({ requestsPerSecond })
  return sim
}

async function serve(sim: RunningSimulator): Promise<void> {
  port.on('message', async (request: PracticeRequest) => {
    try {
      if (request.type === 'reset') sim.control.reset()
      else if (request.type === 'speed') sim.control.setSpeed(request.speed)
      else await sim.close()
      tell({ type: 'done', id: request.id })
      if (request.type === 'close') port.close()
    } catch (error) {
      tell({ type: 'failed', id: request.id, ...errorMessage(error) })
    }
  })
  tell({ type: 'ready', apiBase: sim.apiBase, authBase: sim.authBase })
}

const data = workerData as PracticeWorkerData
try {
  if ('resetFolder' in data) tell({ type: 'reset', hadState: resetSimulatorData(data.resetFolder, 'practice') })
  else await serve(await start(data))
} catch (error) {
  tell({ type: 'failed', id: 0, ...errorMessage(error) })
}
