import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EntityId, TelemetryReviewQuery as ReviewQuery } from '@tautline/domain';
import { z } from 'zod';
import { RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodQuery } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type TenantScope } from '../tenancy/tenant-scope';
import { SessionReviewService } from './session-review.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions/:id/telemetry')
export class SessionReviewController {
  constructor(private readonly review: SessionReviewService) {}

  @Get()
  @RequirePermission('session.read')
  @ApiOperation({
    summary:
      'A session’s telemetry, downsampled (min / max / mean per channel and bucket) for review',
  })
  @ApiZodQuery(ReviewQuery)
  @ApiProblems(400, 401, 403, 404)
  get(
    @Scope() scope: TenantScope,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Query(new ZodPipe(ReviewQuery)) q: z.infer<typeof ReviewQuery>,
  ) {
    return this.review.telemetry(scope, id, { from: q.from, to: q.to, bucketMs: q.resolution });
  }
}
