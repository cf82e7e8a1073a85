import {
  ALERT_SEVERITY,
  type AlertDraft,
  type AlertKey,
  type AlertKind,
  type AlertResolution,
  alertKey,
} from './alert.schemas';
import { epochMs, isoAt } from './moment';
import { type SafetyState } from './safety.state';
import { type MuscleCode } from './muscle.catalogue';

/** The bookkeeping shared by the safety rules: observe a condition, raise, resolve. */

export interface SafetyOutcome {
  state: SafetyState;
  raised: AlertDraft[];
  resolved: AlertResolution[];
}

/** Collects the outcome of one call while it changes its own copy of the state. */
export class Judgement {
  readonly raised: AlertDraft[] = [];
  readonly resolved: AlertResolution[] = [];

  constructor(
    readonly state: SafetyState,
    private readonly clearAfterMs: number,
  ) {}

  /**
   * The condition of `key` was `held` (or not) at `at`. `mayRaise` false: it keeps an open alert
   * alive but raises none (a stronger alert covers it).
   */
  observe(
    key: AlertKey,
    held: boolean,
    at: number,
    draft: () => AlertDraft,
    mayRaise = true,
  ): void {
    const open = this.state.open[key];
    if (held) {
      if (open) open.absentSince = null;
      else if (mayRaise) this.raise(draft());
      return;
    }
    if (!open) return;
    open.absentSince ??= at;
    if (at - open.absentSince >= this.clearAfterMs) this.resolve(key, at);
  }

  raise(alert: AlertDraft): void {
    this.state.open[alert.key] = {
      kind: alert.kind,
      channel: alert.channel,
      raisedAt: epochMs(alert.at),
      absentSince: null,
    };
    this.raised.push(alert);
  }

  resolve(key: AlertKey, at: number): void {
    const open = this.state.open[key];
    if (!open) return;
    delete this.state.open[key];
    // Samples buffered through an outage may carry device times before the alert was raised.
    this.resolved.push({
      key,
      kind: open.kind,
      channel: open.channel,
      at: isoAt(Math.max(at, open.raisedAt)),
    });
  }

  outcome(): SafetyOutcome {
    return { state: this.state, raised: this.raised, resolved: this.resolved };
  }
}

/** An alert of `kind` at `at` (epoch ms), with its key and severity filled in. */
export function draft(alert: {
  kind: AlertKind;
  channel: number | null;
  muscle: MuscleCode | null;
  at: number;
  message: string;
  value: number;
  limit: number;
}): AlertDraft {
  const { kind, channel, at, ...rest } = alert;
  return {
    key: alertKey(kind, channel),
    kind,
    severity: ALERT_SEVERITY[kind],
    channel,
    ...rest,
    at: isoAt(at),
  };
}
