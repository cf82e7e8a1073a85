import { type AlertKind, alertKey, initialSafetyState, SafetyState } from '@tautline/domain';
import { Inject, Injectable } from '@nestjs/common';
import { LiveSessionStore } from '@tautline/queues';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../infrastructure/infrastructure.module';

export interface LoadedSafetyState {
  state: SafetyState;
  /** Redis had no (valid) state: it was rebuilt from the session's unresolved alerts. */
  rebuilt: boolean;
}

/**
 * The safety rules' memory of a session, kept in Redis between batches. When Redis has lost it,
 * the state starts afresh but knows the session's open and acknowledged alerts (conditions present;
 * a latched alert's condition has cleared; PostgreSQL is the truth), so
 * a condition that still holds does not raise a second alert and one that has cleared still resolves.
 */
@Injectable()
export class SafetyStates {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    private readonly store: LiveSessionStore,
  ) {}

  /** What Redis holds, without touching PostgreSQL (the watchdog's cheap first look). */
  async stored(sessionId: string): Promise<SafetyState | null> {
    const parsed = SafetyState.safeParse(await this.store.readJson('safety', sessionId));
    return parsed.success ? parsed.data : null;
  }

  async load(sessionId: string): Promise<LoadedSafetyState> {
    const stored = await this.stored(sessionId);
    if (stored) return { state: stored, rebuilt: false };
    const rows = (await this.db.query(
      `SELECT kind, channel, raised_at FROM alerts WHERE session_id = $1 AND status IN ('open', 'acknowledged')`,
      [sessionId],
    )) as { kind: AlertKind; channel: number | null; raised_at: Date }[];
    const state = initialSafetyState();
    for (const r of rows) {
      state.open[alertKey(r.kind, r.channel)] = {
        kind: r.kind,
        channel: r.channel,
        raisedAt: r.raised_at.getTime(),
        absentSince: null,
      };
    }
    return { state, rebuilt: true };
  }

  async save(sessionId: string, state: SafetyState): Promise<void> {
    await this.store.writeJson('safety', sessionId, state);
  }
}
