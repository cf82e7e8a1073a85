import {
  ALARM_PRESENTATION,
  ALARM_TONE_PULSES,
  audioPauseRemainingMs,
  isSounding,
  pauseAudio,
  type Alert,
  type AudioPauseState,
} from '@tautline/domain';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

export type Tone = 'high' | 'medium' | 'low';
const TONE_RANK: Record<Tone, number> = { high: 0, medium: 1, low: 2 };

/** The pitch falls with the priority, so the levels are told apart without looking. */
const PITCH_HZ: Record<Tone, number> = { high: 960, medium: 720, low: 520 };
const PULSE_GAP_S = 0.15;
const BURST_GAP_S = 0.6;

/** Start offsets (s) of each pulse of a tone's IEC 60601-1-8 pattern (`ALARM_TONE_PULSES`). */
export function pulseOffsets(tone: Tone): number[] {
  const offsets: number[] = [];
  let t = 0;
  for (const burst of ALARM_TONE_PULSES[tone]) {
    for (let i = 0; i < burst; i++) offsets.push(t + i * PULSE_GAP_S);
    t += burst * PULSE_GAP_S + BURST_GAP_S;
  }
  return offsets;
}

type AudioContextClass = typeof AudioContext;

export interface AlarmAudio {
  /** The loudest priority sounding now (null: nothing sounds). */
  tone: Tone | null;
  /** Milliseconds left of the audio pause; 0 when the audio is on. */
  pausedMs: number;
  pause(): void;
  resume(): void;
}

/**
 * The board's alarm sound, per screen: the highest-priority sounding alert (open or latched) repeats
 * its pattern (critical every 10 s, warning every 25 s; a technical one sounds once). Audio can be
 * paused for 2 minutes at a time, never muted for good. Browsers allow audio only after a gesture,
 * so the AudioContext starts on the first pointer or key press on the page.
 */
export function useAlarmAudio(alerts: readonly Alert[], now: number): AlarmAudio {
  const context = useRef<AudioContext | null>(null);
  const [pauseState, setPauseState] = useState<AudioPauseState | null>(null);
  const lastPlayed = useRef<Partial<Record<Tone, number>>>({});
  const playedOnce = useRef(new Set<string>());

  useEffect(() => {
    const Ctor = (window as unknown as { AudioContext?: AudioContextClass }).AudioContext;
    if (!Ctor) return;
    const unlock = () => {
      if (!context.current) context.current = new Ctor();
      void context.current.resume().catch(() => undefined);
    };
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
      void context.current?.close().catch(() => undefined);
      context.current = null;
    };
  }, []);

  const sounding = useMemo(() => alerts.filter(isSounding), [alerts]);
  const tone = useMemo(() => {
    let best: Tone | null = null;
    for (const a of sounding) {
      const t = ALARM_PRESENTATION[a.severity].tone;
      if (best === null || TONE_RANK[t] < TONE_RANK[best]) best = t;
    }
    return best;
  }, [sounding]);
  const pausedMs = audioPauseRemainingMs(pauseState, now);

  useEffect(() => {
    if (pauseState && pausedMs === 0) setPauseState(null);
  }, [pauseState, pausedMs]);

  useEffect(() => {
    if (tone === null || pausedMs > 0) return;
    if (tone === 'low') {
      // A technical alert sounds once per occurrence.
      const fresh = sounding.filter((a) => !playedOnce.current.has(cueOf(a)));
      if (fresh.length === 0) return;
      fresh.forEach((a) => playedOnce.current.add(cueOf(a)));
      play(context.current, 'low');
      return;
    }
    const repeat =
      (tone === 'high'
        ? ALARM_PRESENTATION.critical.repeatSeconds
        : ALARM_PRESENTATION.warning.repeatSeconds) * 1000;
    const last = lastPlayed.current[tone];
    if (last !== undefined && now - last < repeat) return;
    lastPlayed.current[tone] = now;
    play(context.current, tone);
  }, [tone, pausedMs, now, sounding]);

  // From the board's clock, so the countdown starts at 2:00 exactly.
  const nowRef = useRef(now);
  nowRef.current = now;
  const pause = useCallback(() => setPauseState(pauseAudio(nowRef.current)), []);
  const resume = useCallback(() => {
    setPauseState(null);
    lastPlayed.current = {};
  }, []);
  return { tone, pausedMs, pause, resume };
}

const cueOf = (a: Alert) => `${a.id}:${a.occurrences}:${a.realertedAt ?? ''}`;

function play(ctx: AudioContext | null, tone: Tone): void {
  if (!ctx || ctx.state !== 'running') return;
  const hz = PITCH_HZ[tone];
  for (const offset of pulseOffsets(tone)) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = hz;
    const t = ctx.currentTime + offset;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.18, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.11);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.12);
  }
}
