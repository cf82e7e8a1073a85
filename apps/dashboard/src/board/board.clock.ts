import { useSyncExternalStore } from 'react';

/** One 1 s ticker shared by every tile (elapsed, remaining, freshness), aligned to the second. */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;

function tick() {
  now = Date.now();
  listeners.forEach((l) => l());
  timer = setTimeout(tick, 1000 - (now % 1000));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setTimeout(tick, 1000 - (now % 1000));
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

const frozen = () => () => undefined;

/** `active: false` stops ticking (an off-screen tile): the last value stays until it is active again. */
export function useBoardNow(active = true): number {
  return useSyncExternalStore(active ? subscribe : frozen, () => now);
}
