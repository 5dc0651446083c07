// Electron main-process entry point (built to out/main/index.js).
import { startDesktopApp } from './app'

startDesktopApp()
