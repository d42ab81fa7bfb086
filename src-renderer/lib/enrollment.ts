/**
 * Tells the rest of the window that the set of enrolled employees may have changed (an admin
 * enrolled, re-enrolled, deactivated or erased someone), so figures such as the footer's
 * enrolled count refresh at once instead of on their next timer.
 */
type Listener = () => void;

const listeners = new Set<Listener>();

/** Calls `listener` after each change; returns the function that stops it. */
export function onEnrollmentChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function signalEnrollmentChange(): void {
  for (const listener of listeners) listener();
}
