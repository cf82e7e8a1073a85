import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  type AuthRenewResult,
  clinicRoom,
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  LIVE_UNAVAILABLE,
  type LiveSocketData,
  type ServerToClientEvents,
  SubscribeRequest,
  type SubscribeResult,
} from '@tautline/domain';
import { PinoLogger } from 'nestjs-pino';
import { type Namespace } from 'socket.io';
import { TokenService } from '../auth/token.service';
import { UserDirectory } from '../auth/user-directory.service';
import { isDatabaseUnavailable } from '../common/pg-errors';
import { LiveSessionsService } from '../live-sessions/live-sessions.service';
import { LiveAccess, type LiveSocket } from './live-access.service';

// setTimeout overflows above 2^31-1 ms and would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;

/**
 * `/live`: the JWT is checked at the handshake, and every subscribe re-reads the caller's clinics,
 * so a socket only ever sits in `clinic:<id>` rooms its user may see right now; `LiveAccess` applies
 * access changes to sockets already open.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit<LiveNamespace>, OnGatewayConnection<LiveSocket> {
  /** When each socket is dropped unless renewed first. */
  private readonly expiries = new WeakMap<LiveSocket, NodeJS.Timeout>();

  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserDirectory,
    private readonly liveSessions: LiveSessionsService,
    private readonly access: LiveAccess,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('live');
  }

  afterInit(nsp: LiveNamespace): void {
    nsp.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.token;
      this.access.handshakeStarted(socket);
      this.tokens
        .authenticate(typeof token === 'string' ? token : undefined)
        .then(({ user, expiresAt }) => {
          socket.data = {
            userId: user.id,
            organisationId: user.organisationId,
            role: user.role,
            clinicIds: user.clinicIds,
          };
          // A socket outlives no token: `auth.renew` extends it, otherwise it is dropped at expiry.
          this.expireAt(socket, expiresAt);
          socket.once('disconnect', () => clearTimeout(this.expiries.get(socket)));
          next();
        })
        .catch((error: unknown) => {
          // A database outage is not a bad token: the client keeps its session and tries again.
          if (isDatabaseUnavailable(error)) {
            this.logger.warn(
              { event: 'live.handshake_unavailable', socketId: socket.id },
              'live handshake: database unavailable',
            );
            next(new Error(LIVE_UNAVAILABLE));
            return;
          }
          this.logger.info(
            { event: 'live.handshake_refused', socketId: socket.id },
            'live handshake refused',
          );
          next(new Error('unauthorized'));
        });
    });
  }

  handleConnection(socket: LiveSocket): void {
    this.access.track(socket);
  }

  private expireAt(socket: LiveSocket, expiresAt: number): void {
    clearTimeout(this.expiries.get(socket));
    this.expiries.set(
      socket,
      setTimeout(
        () => socket.disconnect(true),
        Math.min(Math.max(expiresAt - Date.now(), 0), MAX_TIMER_MS),
      ),
    );
  }

  /**
   * A renewed access token for the same user extends the socket in place: rooms, listeners and the
   * event stream are untouched. The token is checked like a handshake's (signature, expiry, user
   * still active), so a revoked user cannot extend anything; a refusal leaves the old expiry.
   */
  @SubscribeMessage('auth.renew')
  async renew(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<AuthRenewResult> {
    const token = (body as { accessToken?: unknown } | null | undefined)?.accessToken;
    if (typeof token !== 'string' || token.length > 4096)
      return { ok: false, error: 'accessToken: a token string is required' };
    try {
      const { user, expiresAt } = await this.tokens.authenticate(token);
      if (
        user.id !== socket.data.userId ||
        user.organisationId !== socket.data.organisationId ||
        user.role !== socket.data.role
      ) {
        this.logger.warn(
          { event: 'live.renew_refused', socketId: socket.id, reason: 'other_user' },
          'live renew refused: token of another user',
        );
        return { ok: false, error: 'the token is not for this connection' };
      }
      if (!socket.connected) return { ok: false, error: 'the connection has ended' };
      this.expireAt(socket, expiresAt);
      return { ok: true, expiresAt };
    } catch (error) {
      if (isDatabaseUnavailable(error)) return { ok: false, error: LIVE_UNAVAILABLE };
      return { ok: false, error: 'unauthorized' };
    }
  }

  @SubscribeMessage('clinics.subscribe')
  async subscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeResult> {
    // Exception filters do not reach socket handlers: an outage answers in the ack instead of never.
    return this.join(socket, body).catch((error: unknown) => {
      if (!isDatabaseUnavailable(error))
        this.logger.error(
          { event: 'live.subscribe_failed', socketId: socket.id },
          'subscribe failed',
        );
      return { joined: [], rejected: [], error: LIVE_UNAVAILABLE };
    });
  }

  private async join(socket: LiveSocket, body: unknown): Promise<SubscribeResult> {
    const request = SubscribeRequest.safeParse(body);
    if (!request.success) {
      return {
        joined: [],
        rejected: [],
        error: request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      };
    }
    const reviewed = this.access.version(socket);
    const user = await this.users.byId(socket.data.userId);
    const allowed = new Set(
      user?.organisationId === socket.data.organisationId ? user.clinicIds : [],
    );
    socket.data.clinicIds = [...allowed];
    const joined = request.data.clinicIds.filter((id) => allowed.has(id));
    // Join first, then read: an update racing the snapshot arrives after it, never lost in between.
    await socket.join(joined.map(clinicRoom));
    // A revocation applied while we read (before the join) is applied again, after it.
    await this.access.reviewIfChanged(socket, reviewed);
    const still = new Set(socket.connected ? socket.data.clinicIds : []);
    const kept = joined.filter((id) => still.has(id));
    const [sessions, alerts] = await Promise.all([
      this.liveSessions.snapshot(socket.data.organisationId, kept),
      this.liveSessions.alertsOutsideSessions(socket.data.organisationId, kept),
    ]);
    return {
      joined: kept,
      rejected: request.data.clinicIds.filter((id) => !still.has(id)),
      sessions,
      alerts,
    };
  }

  @SubscribeMessage('clinics.unsubscribe')
  async unsubscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<{ left: string[] }> {
    const request = SubscribeRequest.safeParse(body);
    if (!request.success) return { left: [] };
    await Promise.all(request.data.clinicIds.map((id) => socket.leave(clinicRoom(id))));
    return { left: request.data.clinicIds };
  }
}
