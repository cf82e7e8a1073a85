import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  EntityId,
  StartSessionRequest,
  StopSessionRequest,
  TREATMENT_SESSION_STATUSES,
  TreatmentSession,
  type TreatmentSessionEvent,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { SessionsService } from './sessions.service';

const Command = z.enum([
  'start',
  'pause',
  'resume',
  'stop',
  'abort',
]) satisfies z.ZodType<TreatmentSessionEvent>;
const SessionListQuery = z.object({
  clinicId: EntityId,
  status: z.enum(TREATMENT_SESSION_STATUSES).optional(),
});
const stopBody = new ZodPipe(StopSessionRequest);

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @RequirePermission('session.operate')
  @ApiOperation({
    summary:
      'Prepare an e-stim session for a checked-in appointment, in its room, with its stimulator',
  })
  @ApiZodBody(StartSessionRequest)
  @ApiZodResponse(201, TreatmentSession)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  create(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Body(new ZodPipe(StartSessionRequest)) body: z.infer<typeof StartSessionRequest>,
  ): Promise<z.infer<typeof TreatmentSession>> {
    return this.sessions.create(scope, user, body);
  }

  @Get()
  @RequirePermission('session.read')
  @ApiZodResponse(200, z.array(TreatmentSession))
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @Query(new ZodPipe(SessionListQuery)) q: z.infer<typeof SessionListQuery>,
  ) {
    return this.sessions.list(scope, q.clinicId, q.status);
  }

  @Get(':id')
  @RequirePermission('session.read')
  @ApiZodResponse(200, TreatmentSession)
  @ApiProblems(400, 401, 403, 404)
  get(@Scope() scope: TenantScope, @Param('id', new ZodPipe(EntityId)) id: string) {
    return this.sessions.get(scope, id);
  }

  @Post(':id/:command')
  @HttpCode(200)
  @RequirePermission('session.operate')
  @ApiOperation({
    summary: 'Start, pause, resume, stop or abort (an illegal move is 409 naming it)',
    description:
      'stop needs `{ adverseEvent: { kind: none|vasovagal|bruising|bleeding|other, notes? } }`.',
  })
  @ApiParam({ name: 'command', enum: Command.options })
  @ApiZodResponse(200, TreatmentSession)
  @ApiProblems(400, 401, 403, 404, 409)
  command(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Param('command', new ZodPipe(Command)) command: z.infer<typeof Command>,
    @Body() raw: unknown,
  ): Promise<z.infer<typeof TreatmentSession>> {
    const body = command === 'stop' ? stopBody.transform(raw, { type: 'body' }) : {};
    return this.sessions.command(scope, user, id, command, body);
  }
}
