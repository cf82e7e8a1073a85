import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  EntityId,
  TelemetryReviewQuery as ReviewQuery,
  SessionReview,
  SessionReviewListQuery,
  SessionReviewRow,
  TelemetryReview,
} from '@tautline/domain';
import { z } from 'zod';
import { RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type TenantScope } from '../tenancy/tenant-scope';
import { SessionReviewService } from './session-review.service';

/** Post-session review: the list, one session's header and alerts, and its downsampled telemetry. */
@ApiTags('sessions')
@ApiBearerAuth()
@Controller()
export class SessionReviewController {
  constructor(private readonly review: SessionReviewService) {}

  @Get('session-reviews')
  @RequirePermission('session.read')
  @ApiOperation({
    summary:
      'One clinic’s sessions for review, newest first, with clinic, room, practitioner, patient initials and alert counts',
  })
  @ApiZodQuery(SessionReviewListQuery)
  @ApiZodResponse(200, z.array(SessionReviewRow))
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @Query(new ZodPipe(SessionReviewListQuery)) q: z.infer<typeof SessionReviewListQuery>,
  ): Promise<SessionReviewRow[]> {
    return this.review.list(scope, q);
  }

  @Get('session-reviews/:id')
  @RequirePermission('session.read')
  @ApiOperation({
    summary:
      'A session’s review header and its alerts in the order raised, each with who acknowledged it and when',
  })
  @ApiZodResponse(200, SessionReview)
  @ApiProblems(400, 401, 403, 404)
  get(
    @Scope() scope: TenantScope,
    @Param('id', new ZodPipe(EntityId)) id: string,
  ): Promise<SessionReview> {
    return this.review.review(scope, id);
  }

  @Get('sessions/:id/telemetry')
  @RequirePermission('session.read')
  @ApiOperation({
    summary:
      'A session’s telemetry, downsampled (min / max / mean per channel and bucket) for review',
  })
  @ApiZodQuery(ReviewQuery)
  @ApiZodResponse(200, TelemetryReview)
  @ApiProblems(400, 401, 403, 404)
  telemetry(
    @Scope() scope: TenantScope,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Query(new ZodPipe(ReviewQuery)) q: z.infer<typeof ReviewQuery>,
  ) {
    return this.review.telemetry(scope, id, { from: q.from, to: q.to, bucketMs: q.resolution });
  }
}
