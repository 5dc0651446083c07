// Electron main-process entry point (built to out/main/index.js).
import { scheduledRunOf } from '../services/routines/schedule/command'
import { startDesktopApp } from './app'
import { runHeadless } from './headless'

const scheduledRun = scheduledRunOf(process.argv)
if (scheduledRun) runHeadless(scheduledRun)
else startDesktopApp()
