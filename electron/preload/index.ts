// Preload (sandboxed, context-isolated): exposes the contract to the page and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { BRIDGE_GLOBAL } from '../../shared/contract'
import { createPreloadBridge } from './bridge'

contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createPreloadBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)),
)
