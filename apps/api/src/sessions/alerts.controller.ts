import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AcknowledgeAlertRequest,
  Alert,
  AlertListQuery as AlertQuery,
  EntityId,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { AlertsService } from './alerts.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequirePermission('session.read')
  @ApiOperation({
    summary:
      'Alert history in tray order (sounding — open, latched — first, critical → warning → technical, then acknowledged, then resolved; newest first); filter by clinic, session, status, severity, time',
  })
  @ApiZodQuery(AlertQuery)
  @ApiZodResponse(200, z.array(Alert))
  @ApiProblems(400, 401, 403, 404)
  list(@Scope() scope: TenantScope, @Query(new ZodPipe(AlertQuery)) q: z.infer<typeof AlertQuery>) {
    return this.alerts.list(scope, q);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @RequirePermission('alert.acknowledge')
  @ApiOperation({
    summary:
      'Acknowledge an alert (who, when, note): open → acknowledged (silent; re-alerts if it persists), latched → resolved, a self-cleared unanswered alert → dismissed; stops its escalation. 409 when already answered.',
  })
  @ApiZodBody(AcknowledgeAlertRequest)
  @ApiZodResponse(200, Alert)
  @ApiProblems(400, 401, 403, 404, 409)
  acknowledge(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Body(new ZodPipe(AcknowledgeAlertRequest)) body: z.infer<typeof AcknowledgeAlertRequest>,
  ): Promise<z.infer<typeof Alert>> {
    return this.alerts.acknowledge(scope, user, id, body.note);
  }
}
