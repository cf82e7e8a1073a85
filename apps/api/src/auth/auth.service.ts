import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { type LoginRequest, type LoginResponse } from '@tautline/domain';
import argon2 from 'argon2';
import { PinoLogger } from 'nestjs-pino';
import { createHash } from 'node:crypto';
import { Problem } from '../common/problem';
import { ENV } from '../config/config.module';
import { type AuthenticatedUser } from '../tenancy/tenant-scope';
import { AuthSessions, type ClientInfo } from './auth-sessions.service';
import { TokenService } from './token.service';
import { UserDirectory } from './user-directory.service';

/** What a sign-in or refresh answers, and the refresh cookie the controller sets alongside. */
export interface SignedIn {
  response: LoginResponse;
  refreshToken: string;
  /** The cookie's end: the session cannot be renewed after it (idle end). */
  cookieExpiresAt: Date;
}

// Verified when the email is unknown, so a wrong email and a wrong password take the same time.
const DUMMY_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$0S1bq9Tq8d3Tqf0vJ1xk3l1y6m9gQ9xW2b9sQ3kq7vE';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserDirectory,
    private readonly tokens: TokenService,
    private readonly sessions: AuthSessions,
    private readonly logger: PinoLogger,
    @Inject(ENV) private readonly env: Env,
  ) {
    logger.setContext('auth');
  }

  async login({ email, password }: LoginRequest, client: ClientInfo): Promise<SignedIn> {
    const { ip } = client;
    const user = await this.users.byEmailWithHash(email);
    const valid = await argon2
      .verify(user?.passwordHash ?? DUMMY_HASH, password)
      .catch(() => false);
    if (!user || !valid) {
      // Never the password; the email only as a digest, enough to correlate repeated attempts.
      this.logger.warn(
        {
          event: 'auth.login_failed',
          reason: user ? 'bad_password' : 'unknown_email',
          emailDigest: createHash('sha256').update(email).digest('hex').slice(0, 16),
          ip,
        },
        'login failed',
      );
      throw new Problem(
        HttpStatus.UNAUTHORIZED,
        'Unauthorized',
        'the email or password is incorrect',
      );
    }
    const { passwordHash: _hash, ...profile } = user;
    const refresh = await this.sessions.start(profile, client);
    this.logger.info({ event: 'auth.login', userId: user.id }, 'login');
    return this.signedIn(profile, refresh);
  }

  /** Rotates the refresh token (see AuthSessions) and answers a fresh access token. */
  async refresh(presented: string | undefined, client: ClientInfo): Promise<SignedIn> {
    const { user, refresh } = await this.sessions.rotate(presented, client);
    return this.signedIn(user, refresh);
  }

  logout(presented: string | undefined): Promise<void> {
    return this.sessions.end(presented);
  }

  private async signedIn(
    user: AuthenticatedUser,
    refresh: Awaited<ReturnType<AuthSessions['start']>>,
  ): Promise<SignedIn> {
    // The access token never outlives the session it came from.
    const remaining = Math.floor((refresh.absoluteExpiresAt.getTime() - Date.now()) / 1000);
    const expiresIn = Math.max(1, Math.min(this.env.JWT_TTL_SECONDS, remaining));
    return {
      response: {
        accessToken: await this.tokens.issue(user, expiresIn),
        expiresIn,
        sessionExpiresAt: refresh.absoluteExpiresAt.toISOString(),
        user,
      },
      refreshToken: refresh.token,
      cookieExpiresAt: refresh.idleExpiresAt,
    };
  }
}
