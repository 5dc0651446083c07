import { useEffect, type RefObject } from 'react'

/**
 * Moves the keyboard focus to the first heading matching `headings` inside `area` (made focusable
 * without joining the tab order), or to `area` itself when it has none yet (a screen still
 * loading). A screen reader reads what gets the focus, so the new step or part is announced by its
 * name, and the next Tab goes on from there instead of from the top of the page.
 */
export function focusHeadingIn(area: HTMLElement | null, headings = 'h2'): void {
  if (!area) return
  const target = area.querySelector<HTMLElement>(headings) ?? area
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
  target.focus()
}

/**
 * When what `area` shows changes (`phase`: e.g. the upload's choices become its progress) and the
 * focus was on a button that is gone with it, the focus goes to the area's first heading, instead of
 * falling to the start of the page.
 */
export function useFocusKeptIn(area: RefObject<HTMLElement | null>, phase: string): void {
  useEffect(() => {
    const focused = document.activeElement
    if (focused && focused !== document.body && focused.isConnected) return
    focusHeadingIn(area.current, 'h2, h3')
  }, [area, phase])
}
