/**
 * Which rows of a long table are on screen, for a scrolling box that renders only those.
 *
 * Browsers cannot lay out an element much taller than about 33 million pixels, so a million rows
 * of 34 pixels would not fit. Above {@link MAX_SCROLL_HEIGHT} the scroll range is compressed: the
 * scroll position is mapped proportionally onto the rows, and the rows on screen are placed at
 * their true height, so reading and keyboard scrolling feel the same and the end is reachable.
 */
import { useCallback, useLayoutEffect, useState, type RefObject, type UIEvent } from 'react'

export const MAX_SCROLL_HEIGHT = 8_000_000

export interface RowWindow {
  /** First row index to render. */
  first: number
  /** One past the last row index to render. */
  end: number
  /** Empty space above and below the rendered rows. */
  spaceBefore: number
  spaceAfter: number
  onScroll(event: UIEvent<HTMLElement>): void
  /** Forgets the scroll position (after the rows change); the box must be scrolled to the top too. */
  reset(): void
}

/** Pure part: the window for a scroll position (exported for reasoning about; the hook wraps it). */
export function rowWindowAt(scrollTop: number, count: number, rowHeight: number, viewportHeight: number, overscan = 6) {
  const realHeight = count * rowHeight
  const scrollHeight = Math.min(realHeight, MAX_SCROLL_HEIGHT)
  const maxScroll = Math.max(0, scrollHeight - viewportHeight)
  const maxReal = Math.max(0, realHeight - viewportHeight)
  const top = Math.min(Math.max(0, scrollTop), maxScroll)
  // Where the top of the box is in the full list of rows.
  const realTop = maxScroll === 0 ? 0 : realHeight === scrollHeight ? top : (top / maxScroll) * maxReal
  // Row i's top edge sits at top + (i * rowHeight - realTop) in the scrolling content.
  const firstPlaceable = Math.ceil((realTop - top) / rowHeight)
  const first = Math.max(0, firstPlaceable, Math.floor(realTop / rowHeight) - overscan)
  const lastFitting = Math.floor((scrollHeight - (top + first * rowHeight - realTop)) / rowHeight) + first
  const end = Math.min(count, lastFitting, Math.ceil((realTop + viewportHeight) / rowHeight) + overscan)
  const spaceBefore = Math.max(0, top + first * rowHeight - realTop)
  const spaceAfter = Math.max(0, scrollHeight - spaceBefore - (end - first) * rowHeight)
  return { first, end, spaceBefore, spaceAfter }
}

/**
 * The window for a scrolling box whose first `headerHeight` pixels are a sticky header. The box's
 * own height is measured (it loses room to a horizontal scroll bar), so the last row is always
 * reachable.
 */
export function useRowWindow(box: RefObject<HTMLElement | null>, count: number, rowHeight: number, headerHeight: number): RowWindow {
  const [position, setPosition] = useState({ scrollTop: 0, clientHeight: 0 })
  const measure = useCallback((element: HTMLElement) => {
    setPosition((current) =>
      current.scrollTop === element.scrollTop && current.clientHeight === element.clientHeight
        ? current
        : { scrollTop: element.scrollTop, clientHeight: element.clientHeight },
    )
  }, [])
  useLayoutEffect(() => {
    const element = box.current
    if (!element) return
    measure(element)
    const observer = new ResizeObserver(() => measure(element))
    observer.observe(element)
    return () => observer.disconnect()
  }, [box, measure])
  const onScroll = useCallback((event: UIEvent<HTMLElement>) => measure(event.currentTarget), [measure])
  const reset = useCallback(() => setPosition((current) => ({ ...current, scrollTop: 0 })), [])
  const viewport = Math.max(rowHeight, position.clientHeight - headerHeight)
  return { ...rowWindowAt(position.scrollTop, count, rowHeight, viewport), onScroll, reset }
}
