import {
  BrowserWindow,
  dialog,
  type OpenDialogOptions,
  type OpenDialogReturnValue,
  type SaveDialogOptions,
  type SaveDialogReturnValue,
} from 'electron'

/**
 * The window a dialog belongs to, so that it opens over the app (modal on macOS): the focused
 * one, else the app's first; none when no window is open.
 */
function dialogOwner(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
}

/** The native open dialog (files or folders), over the app's window. */
export function showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue> {
  const owner = dialogOwner()
  return owner ? dialog.showOpenDialog(owner, options) : dialog.showOpenDialog(options)
}

/** The native save dialog, over the app's window. */
export function showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue> {
  const owner = dialogOwner()
  return owner ? dialog.showSaveDialog(owner, options) : dialog.showSaveDialog(options)
}
