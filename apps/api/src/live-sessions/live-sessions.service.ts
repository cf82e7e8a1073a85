import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Env } from '@tautline/config';
import {
  loadAlertsOutsideLiveSessions,
  loadOpenAlerts,
  loadSessionCards,
  type SessionCard,
} from '@tautline/db';
import { type Alert, clinicRoom, type LiveSession } from '@tautline/domain';
import { type LiveEmitter, LiveSessionStore } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ENV } from '../config/config.module';
import { REDIS } from '../infrastructure/redis.module';
import { LIVE_EMITTER } from '../live/live-emitter.provider';

/**
 * The supervisor's live board from the API side: the snapshot (REST and the subscribe ack) and
 * the events of changes made through the API (session commands, acknowledgements). Sessions and
 * alerts come from PostgreSQL; Redis adds the latest readings, so a Redis that lost its data only
 * costs readings until the next telemetry batch.
 */
@Injectable()
export class LiveSessionsService {
  private readonly store: LiveSessionStore;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) redis: Redis,
    @Inject(ENV) env: Env,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
    private readonly logger: PinoLogger,
  ) {
    this.store = new LiveSessionStore(redis, env.REDIS_PREFIX);
    logger.setContext('live-sessions');
  }

  /** Every active session of the clinics (the caller's, checked by the caller). */
  async snapshot(organisationId: string, clinicIds: string[]): Promise<LiveSession[]> {
    if (clinicIds.length === 0) return [];
    return this.assemble(await loadSessionCards(this.db.manager, organisationId, { clinicIds }));
  }

  /**
   * Unresolved alerts of the clinics outside any live session's `openAlerts`: latched criticals of
   * ended sessions (on the board until acknowledged) and clinic-level alerts.
   */
  async alertsOutsideSessions(organisationId: string, clinicIds: string[]): Promise<Alert[]> {
    return loadAlertsOutsideLiveSessions(this.db.manager, organisationId, clinicIds);
  }

  /** After a committed change: the session's new state to its clinic's room. Never throws. */
  async sessionChanged(organisationId: string, sessionId: string): Promise<void> {
    try {
      const [session] = await this.assemble(
        await loadSessionCards(this.db.manager, organisationId, { sessionIds: [sessionId] }),
      );
      if (!session) return;
      Object.assign(session, await this.store.nextUpdate(sessionId));
      this.live.to(clinicRoom(session.clinicId)).emit('session.updated', session);
      if (session.status === 'completed' || session.status === 'aborted')
        await this.store.clear(sessionId);
    } catch (err) {
      this.logger.warn(
        { event: 'live.session_update_failed', sessionId, err: (err as Error).name },
        'live update not sent',
      );
    }
  }

  alertChanged(event: 'alert.updated' | 'alert.raised', alert: Alert): void {
    this.live.to(clinicRoom(alert.clinicId)).emit(event, { alert });
  }

  private async assemble(cards: SessionCard[]): Promise<LiveSession[]> {
    const ids = cards.map((c) => c.sessionId);
    const [readings, stamps, alerts] = await Promise.all([
      this.store.readings(ids),
      this.store.currentUpdates(ids),
      loadOpenAlerts(this.db.manager, ids),
    ]);
    return cards.map((card) => ({
      ...card,
      latest: readings.get(card.sessionId)?.latest ?? null,
      openAlerts: alerts.filter((a) => a.sessionId === card.sessionId),
      updateEpoch: 0,
      updateSeq: 0,
      // Where the events stand; after a Redis loss, the new epoch (so a board takes this snapshot).
      ...stamps.get(card.sessionId),
    }));
  }
}
