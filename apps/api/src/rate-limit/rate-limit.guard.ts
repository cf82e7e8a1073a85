import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type FastifyReply } from 'fastify';
import { type AuthenticatedRequest } from '../auth/auth.decorators';
import { Problem } from '../common/problem';
import { keyDigest, type RateLimitName, RateLimiter } from './rate-limiter.service';

export const RATE_LIMIT = 'tautline:rate-limit';
export const RATE_LIMIT_UNLESS = 'tautline:rate-limit-unless';
export type RateLimitExemption = (request: AuthenticatedRequest) => boolean;

/**
 * Runs after the global AuthGuard (route guards always do), so `request.user` is known. A signed-in
 * route counts per user; the public patient-link routes count per link token (as a digest).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<RateLimitName | undefined>(RATE_LIMIT, context.getHandler());
    if (!name) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (
      this.reflector.get<RateLimitExemption | undefined>(
        RATE_LIMIT_UNLESS,
        context.getHandler(),
      )?.(request)
    )
      return true;
    const subject = this.subjectOf(request);
    if (!subject) return true;
    const decision = await this.limiter.hit(name, subject);
    if (decision.allowed) return true;
    void context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('retry-after', String(decision.retryAfterSeconds));
    throw new Problem(
      HttpStatus.TOO_MANY_REQUESTS,
      'Too Many Requests',
      `more than ${decision.limit} ${name} requests a minute; try again in ${decision.retryAfterSeconds} s`,
    );
  }

  private subjectOf(request: AuthenticatedRequest): string | undefined {
    if (request.user) return `user:${request.user.id}`;
    const token = (request.params as Record<string, string | undefined> | undefined)?.token;
    return token ? `link:${keyDigest(token)}` : undefined;
  }
}
