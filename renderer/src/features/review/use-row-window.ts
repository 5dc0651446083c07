import { useCallback, useLayoutEffect, useState, type RefObject, type UIEvent } from 'react'
import { rowWindowAt, type RowSpan } from './row-window'

export interface RowWindow extends RowSpan {
  onScroll(event: UIEvent<HTMLElement>): void
}

/**
 * The window for a scrolling box whose first `headerHeight` pixels are a sticky header. The box's
 * own height is measured (it loses room to a horizontal scroll bar), so the last row is always
 * reachable.
 */
export function useRowWindow(
  box: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  headerHeight: number,
): RowWindow {
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
    // The observer also reports the box's size as soon as it starts observing, before the first paint.
    const observer = new ResizeObserver(() => measure(element))
    observer.observe(element)
    return () => observer.disconnect()
  }, [box, measure])
  const onScroll = useCallback((event: UIEvent<HTMLElement>) => measure(event.currentTarget), [measure])
  const viewport = Math.max(rowHeight, position.clientHeight - headerHeight)
  return { ...rowWindowAt(position.scrollTop, count, rowHeight, viewport), onScroll }
}
