import { type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { type FastifyReply } from 'fastify';
import { Problem } from '../common/problem';

/** The throttler, answering in problem+json with a standard `Retry-After` header. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(detail.timeToBlockExpire, 1);
    void context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('retry-after', String(retryAfter));
    throw new Problem(
      HttpStatus.TOO_MANY_REQUESTS,
      'Too Many Requests',
      `too many sign-in attempts; try again in ${retryAfter} s`,
    );
  }
}
