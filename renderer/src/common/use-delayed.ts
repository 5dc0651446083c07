import { useEffect, useState } from 'react'

/**
 * True once `active` has stayed true for `delayMs`: progress bars appear only for work that takes
 * long enough to need one, so quick steps don't flash.
 */
export function useDelayed(active: boolean, delayMs = 1000): boolean {
  const [shown, setShown] = useState(false)
  useEffect(() => {
    if (!active) {
      setShown(false)
      return
    }
    const timer = setTimeout(() => setShown(true), delayMs)
    return () => clearTimeout(timer)
  }, [active, delayMs])
  return shown
}
