import { useEffect, useState } from 'react'

/**
 * True once `active` has stayed true for `delayMs`: progress bars appear only for work that takes
 * long enough to need one, so quick steps don't flash.
 */
export function useDelayed(active: boolean, delayMs = 1000): boolean {
  const [shown, setShown] = useState(false)
  // Each time `active` changes, the delay starts over (adjusted while rendering, as React recommends
  // for state that follows a prop, rather than in an effect a render later).
  const [wasActive, setWasActive] = useState(active)
  if (wasActive !== active) {
    setWasActive(active)
    setShown(false)
  }
  useEffect(() => {
    if (!active) return
    const timer = setTimeout(() => setShown(true), delayMs)
    return () => clearTimeout(timer)
  }, [active, delayMs])
  return active && shown
}
