import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiProblems } from '../common/openapi';
import {
  RATE_LIMIT,
  RATE_LIMIT_UNLESS,
  type RateLimitExemption,
  RateLimitGuard,
} from './rate-limit.guard';
import { type RateLimitName } from './rate-limiter.service';

/**
 * Limits a route per user (per link token on patient-link routes); over it: 429 + Retry-After.
 * `unless` exempts requests that are not what the limit is about (a calendar naming its cards by id).
 */
export const RateLimit = (name: RateLimitName, options: { unless?: RateLimitExemption } = {}) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT, name),
    ...(options.unless ? [SetMetadata(RATE_LIMIT_UNLESS, options.unless)] : []),
    UseGuards(RateLimitGuard),
    ApiProblems(429),
  );
