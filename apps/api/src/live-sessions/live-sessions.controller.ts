import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LiveSession, LiveSessionsQuery } from '@tautline/domain';
import { z } from 'zod';
import { RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type TenantScope } from '../tenancy/tenant-scope';
import { LiveSessionsService } from './live-sessions.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('live/sessions')
export class LiveSessionsController {
  constructor(private readonly live: LiveSessionsService) {}

  @Get()
  @RequirePermission('session.read')
  @ApiOperation({
    summary:
      'Snapshot of the live (ready, running, paused) sessions of one or all of the caller’s clinics',
    description:
      'Latest readings and open alerts included; `(updateEpoch, updateSeq)` continues in the `session.updated` events (a later epoch: Redis lost the live state and counts again).',
  })
  @ApiZodResponse(200, z.array(LiveSession))
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @Query(new ZodPipe(LiveSessionsQuery)) q: z.infer<typeof LiveSessionsQuery>,
  ) {
    if (q.clinicId) scope.requireClinic(q.clinicId);
    return this.live.snapshot(scope.organisationId, q.clinicId ? [q.clinicId] : scope.clinicIds);
  }
}
