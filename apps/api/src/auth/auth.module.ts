import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { type Env } from '@tautline/config';
import { redisKeys } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { ENV } from '../config/config.module';
import { REDIS } from '../infrastructure/redis.module';
import { AuthSessions } from './auth-sessions.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { TokenService } from './token.service';
import { UserDirectory } from './user-directory.service';

// Runs before validation: only a string counts (String() of an array nested 20,000 deep overflows the stack: a 500).
const loginEmail = (req: Record<string, unknown>) => {
  const email = (req.body as { email?: unknown } | null | undefined)?.email;
  return typeof email === 'string' ? email.toLowerCase() : '';
};

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [ENV],
      useFactory: (env: Env) => ({
        secret: env.JWT_SECRET,
        signOptions: { expiresIn: env.JWT_TTL_SECONDS, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [ENV, REDIS],
      useFactory: (env: Env, redis: Redis) => ({
        storage: new RedisThrottlerStorage(redis, redisKeys(env.REDIS_PREFIX).throttle),
        throttlers: [
          // Guessing one account's password, from one address.
          {
            name: 'login-account',
            ttl: 60_000,
            limit: env.LOGIN_LIMIT_PER_MINUTE,
            getTracker: (req: Record<string, unknown>) => `${String(req.ip)}|${loginEmail(req)}`,
          },
          // Spraying many accounts from one address.
          { name: 'login-ip', ttl: 60_000, limit: env.LOGIN_LIMIT_PER_MINUTE * 5 },
          // Refreshes from one address (each tab renews once per access-token lifetime).
          { name: 'refresh', ttl: 60_000, limit: env.AUTH_REFRESH_LIMIT_PER_MINUTE },
        ],
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    AuthSessions,
    TokenService,
    UserDirectory,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, UserDirectory],
})
export class AuthModule {}
