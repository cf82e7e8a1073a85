import { useCallback, useEffect, useRef, useState } from 'react';

const MUTED_KEY = 'tautline.board.muted';

function readMuted(): boolean {
  try {
    return window.localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    return false;
  }
}

type AudioContextClass = typeof AudioContext;

/**
 * The board's audible cue for new critical alerts. Browsers block audio until the user interacts, so
 * the AudioContext is created on the first pointer or key press on the page; muting is remembered
 * per screen (localStorage).
 */
export function useAlertSound(): { muted: boolean; setMuted(muted: boolean): void; beep(): void } {
  const [muted, setMutedState] = useState(readMuted);
  const context = useRef<AudioContext | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  useEffect(() => {
    const Ctor = (window as unknown as { AudioContext?: AudioContextClass }).AudioContext;
    if (!Ctor) return;
    const unlock = () => {
      if (!context.current) context.current = new Ctor();
      void context.current.resume().catch(() => undefined);
    };
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
      void context.current?.close().catch(() => undefined);
      context.current = null;
    };
  }, []);

  const setMuted = useCallback((next: boolean) => {
    setMutedState(next);
    try {
      window.localStorage.setItem(MUTED_KEY, next ? '1' : '0');
    } catch {
      // Private mode: remembered for this page only.
    }
  }, []);

  const beep = useCallback(() => {
    const ctx = context.current;
    if (mutedRef.current || !ctx || ctx.state !== 'running') return;
    // Two short 880 Hz tones: distinct from ordinary UI sounds, short enough not to annoy.
    for (const offset of [0, 0.25]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      const t = ctx.currentTime + offset;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.2, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.2);
    }
  }, []);

  return { muted, setMuted, beep };
}
