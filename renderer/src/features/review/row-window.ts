/**
 * Which rows of a long table are on screen, for a scrolling box that renders only those.
 *
 * Browsers cannot lay out an element much taller than about 33 million pixels, so a million rows
 * of 34 pixels would not fit. Above {@link MAX_SCROLL_HEIGHT} the scroll range is compressed: the
 * scroll position is mapped proportionally onto the rows, and the rows on screen are placed at
 * their true height, so reading and keyboard scrolling feel the same and the end is reachable.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000

export interface RowSpan {
  /** First row index to render. */
  first: number
  /** One past the last row index to render. */
  end: number
  /** Empty space above and below the rendered rows. */
  spaceBefore: number
  spaceAfter: number
}

/** The rows to render for a scroll position (pure; `useRowWindow` wraps it for a scrolling box). */
export function rowWindowAt(
  scrollTop: number,
  count: number,
  rowHeight: number,
  viewportHeight: number,
  overscan = 6,
): RowSpan {
  const realHeight = count * rowHeight
  const scrollHeight = Math.min(realHeight, MAX_SCROLL_HEIGHT)
  const maxScroll = Math.max(0, scrollHeight - viewportHeight)
  const maxReal = Math.max(0, realHeight - viewportHeight)
  const top = Math.min(Math.max(0, scrollTop), maxScroll)
  // Where the top of the box is in the full list of rows.
  const realTop = maxScroll === 0 ? 0 : realHeight === scrollHeight ? top : (top / maxScroll) * maxReal
  // Row i's top edge sits at top + (i * rowHeight - realTop) in the scrolling content. Near the top
  // of a compressed list that can be a little above the content's start: such a row is placed at
  // the start instead (every row below it moves down with it, by less than one row).
  const firstPlaceable = Math.max(0, Math.floor((realTop - top) / rowHeight))
  const first = Math.max(firstPlaceable, Math.floor(realTop / rowHeight) - overscan)
  const spaceBefore = Math.max(0, top + first * rowHeight - realTop)
  const lastFitting = Math.floor((scrollHeight - spaceBefore) / rowHeight) + first
  const end = Math.min(count, lastFitting, Math.ceil((realTop + viewportHeight) / rowHeight) + overscan)
  const spaceAfter = Math.max(0, scrollHeight - spaceBefore - (end - first) * rowHeight)
  return { first, end, spaceBefore, spaceAfter }
}
