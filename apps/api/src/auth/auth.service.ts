import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { type LoginRequest, type LoginResponse } from '@tautline/domain';
import argon2 from 'argon2';
import { PinoLogger } from 'nestjs-pino';
import { createHash } from 'node:crypto';
import { Problem } from '../common/problem';
import { ENV } from '../config/config.module';
import { TokenService } from './token.service';
import { UserDirectory } from './user-directory.service';

// Verified when the email is unknown, so a wrong email and a wrong password take the same time.
const DUMMY_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$0S1bq9Tq8d3Tqf0vJ1xk3l1y6m9gQ9xW2b9sQ3kq7vE';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserDirectory,
    private readonly tokens: TokenService,
    private readonly logger: PinoLogger,
    @Inject(ENV) private readonly env: Env,
  ) {
    logger.setContext('auth');
  }

  async login({ email, password }: LoginRequest, ip: string): Promise<LoginResponse> {
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
    this.logger.info({ event: 'auth.login', userId: user.id }, 'login');
    return {
      accessToken: await this.tokens.issue(profile),
      expiresIn: this.env.JWT_TTL_SECONDS,
      user: profile,
    };
  }
}
