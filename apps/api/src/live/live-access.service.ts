import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { AccessChangesListener } from '@tautline/db';
import {
  clinicRoom,
  type ClientToServerEvents,
  type LiveAccessDecision,
  type LiveSocketData,
  reviewLiveAccess,
  type ServerToClientEvents,
} from '@tautline/domain';
import { PinoLogger } from 'nestjs-pino';
import { type Socket } from 'socket.io';
import { UserDirectory } from '../auth/user-directory.service';
import { ENV } from '../config/config.module';

export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;

/** A read that failed (PostgreSQL away) is tried again this much later. */
const RETRY_MS = 1_000;

/**
 * Revocation for open sockets (DESIGN Key decision 9). Triggers on `users` and `clinic_memberships`
 * NOTIFY `access_changed` on every committed change, whoever makes it (API, script, psql); every API
 * instance LISTENs itself, so each one reviews only the sockets it holds: a removed clinic's room is
 * left, a deactivated user or a changed role is disconnected, each with an `access.revoked` first.
 * NOTIFY rather than a Redis publish: it is sent at commit (never before the change is visible, never
 * for a rolled-back one) and no code path can forget it. While the LISTEN connection is down nothing
 * is heard, so every (re)connect reviews all sockets.
 */
@Injectable()
export class LiveAccess implements OnModuleInit, OnApplicationShutdown {
  private readonly byUser = new Map<string, Set<LiveSocket>>();
  /** Bumped by every review of a socket: a subscribe that raced one reviews again. */
  private readonly reviews = new WeakMap<LiveSocket, number>();
  private readonly listener: AccessChangesListener;
  private readonly retries = new Set<NodeJS.Timeout>();
  /** Counts the changes heard; a handshake that read access before one was heard reviews once tracked. */
  private heard = 0;
  private readonly handshakes = new WeakMap<LiveSocket, number>();

  constructor(
    @Inject(ENV) env: Env,
    private readonly users: UserDirectory,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('live-access');
    this.listener = new AccessChangesListener(env.DATABASE_URL, {
      changed: (userId) => {
        this.heard += 1;
        void this.reviewUser(userId);
      },
      resync: () => {
        this.heard += 1;
        void Promise.all([...this.byUser.keys()].map((id) => this.reviewUser(id)));
      },
      error: (err) =>
        this.logger.warn(
          { event: 'live.access_listener_lost', err: err.message },
          'access listener reconnecting',
        ),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.retries.forEach(clearTimeout);
    await this.listener.stop();
  }

  /** Call before the handshake reads the user: a change heard from then until `track` is not missed. */
  handshakeStarted(socket: LiveSocket): void {
    this.handshakes.set(socket, this.heard);
  }

  track(socket: LiveSocket): void {
    const { userId } = socket.data;
    const sockets = this.byUser.get(userId) ?? new Set();
    sockets.add(socket);
    this.byUser.set(userId, sockets);
    socket.once('disconnect', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.byUser.get(userId) === sockets) this.byUser.delete(userId);
    });
    if (this.handshakes.get(socket) !== this.heard) void this.reviewUser(userId);
  }

  /** A marker to pass to `reviewIfChanged` after work that read access. */
  version(socket: LiveSocket): number {
    return this.reviews.get(socket) ?? 0;
  }

  /** Reviews the socket again if a change was applied to it since `version` (it may have re-joined a room). */
  async reviewIfChanged(socket: LiveSocket, version: number): Promise<void> {
    if (this.version(socket) !== version) await this.reviewUser(socket.data.userId);
  }

  private async reviewUser(userId: string): Promise<void> {
    const sockets = this.byUser.get(userId);
    if (!sockets || sockets.size === 0) return;
    let current: Awaited<ReturnType<UserDirectory['byId']>>;
    try {
      current = await this.users.byId(userId);
    } catch (err) {
      this.logger.warn(
        { event: 'live.access_review_failed', userId, err: (err as Error).name },
        'access review postponed',
      );
      const retry = setTimeout(() => {
        this.retries.delete(retry);
        void this.reviewUser(userId);
      }, RETRY_MS);
      this.retries.add(retry);
      return;
    }
    for (const socket of sockets) this.apply(socket, reviewLiveAccess(socket.data, current));
  }

  private apply(socket: LiveSocket, decision: LiveAccessDecision): void {
    this.reviews.set(socket, this.version(socket) + 1);
    if (decision.action === 'keep') return;
    const { event } = decision;
    socket.emit('access.revoked', event);
    this.logger.info(
      {
        event: 'live.access_revoked',
        userId: socket.data.userId,
        socketId: socket.id,
        reason: event.reason,
      },
      'live access revoked',
    );
    if (decision.action === 'disconnect') {
      socket.disconnect(true);
      return;
    }
    const lost = new Set(event.clinicIds);
    socket.data.clinicIds = socket.data.clinicIds.filter((id) => !lost.has(id));
    for (const id of lost) void socket.leave(clinicRoom(id));
  }
}
