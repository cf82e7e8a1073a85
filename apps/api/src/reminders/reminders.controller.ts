import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  EffectiveReminderPolicy,
  EntityId,
  LoggedMessage,
  MessageLogQuery,
  Reminder,
  ReminderPolicy,
  ReminderPolicyRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { RemindersService } from './reminders.service';

const id = new ZodPipe(EntityId);

@ApiTags('reminders')
@ApiBearerAuth()
@Controller()
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get('appointments/:id/reminders')
  @RequirePermission('appointment.read')
  @ApiOperation({
    summary:
      'Planned, sent, skipped and cancelled reminders of an appointment, with due times and reasons',
  })
  @ApiZodResponse(200, z.array(Reminder))
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @Param('id', id) appointmentId: string,
  ): Promise<z.infer<typeof Reminder>[]> {
    return this.reminders.forAppointment(scope, appointmentId);
  }

  @Get('clinics/:clinicId/message-log')
  @RequirePermission('patient.read')
  @ApiOperation({ summary: 'Messages the `log` channel stored instead of sending (newest first)' })
  @ApiZodResponse(200, z.array(LoggedMessage))
  @ApiProblems(400, 401, 403, 404)
  messageLog(
    @Scope() scope: TenantScope,
    @Param('clinicId', id) clinicId: string,
    @Query(new ZodPipe(MessageLogQuery)) q: z.infer<typeof MessageLogQuery>,
  ): Promise<z.infer<typeof LoggedMessage>[]> {
    return this.reminders.messageLog(scope, clinicId, q.limit);
  }

  @Get('reminder-policy')
  @RequirePermission('clinic.read')
  @ApiOperation({ summary: "The organisation's default reminder policy" })
  @ApiZodResponse(200, EffectiveReminderPolicy)
  organisationPolicy(
    @Scope() scope: TenantScope,
  ): Promise<z.infer<typeof EffectiveReminderPolicy>> {
    return this.reminders.policy(scope, null);
  }

  @Put('reminder-policy')
  @RequirePermission('clinic.manage')
  @ApiOperation({
    summary: "Set the organisation's default reminder policy (applies to plans made from now on)",
  })
  @ApiZodBody(ReminderPolicyRequest)
  @ApiZodResponse(200, EffectiveReminderPolicy)
  @ApiProblems(400, 401, 403)
  setOrganisationPolicy(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Body(new ZodPipe(ReminderPolicyRequest)) body: z.infer<typeof ReminderPolicy>,
  ): Promise<z.infer<typeof EffectiveReminderPolicy>> {
    return this.reminders.setPolicy(scope, user, null, body);
  }

  @Get('clinics/:clinicId/reminder-policy')
  @RequirePermission('clinic.read')
  @ApiOperation({
    summary: "The policy in force for a clinic: its own, else the organisation's, else the default",
  })
  @ApiZodResponse(200, EffectiveReminderPolicy)
  @ApiProblems(400, 401, 403, 404)
  clinicPolicy(
    @Scope() scope: TenantScope,
    @Param('clinicId', id) clinicId: string,
  ): Promise<z.infer<typeof EffectiveReminderPolicy>> {
    return this.reminders.policy(scope, clinicId);
  }

  @Put('clinics/:clinicId/reminder-policy')
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: 'Give a clinic its own reminder policy' })
  @ApiZodBody(ReminderPolicyRequest)
  @ApiZodResponse(200, EffectiveReminderPolicy)
  @ApiProblems(400, 401, 403, 404)
  setClinicPolicy(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('clinicId', id) clinicId: string,
    @Body(new ZodPipe(ReminderPolicyRequest)) body: z.infer<typeof ReminderPolicy>,
  ): Promise<z.infer<typeof EffectiveReminderPolicy>> {
    return this.reminders.setPolicy(scope, user, clinicId, body);
  }

  @Delete('clinics/:clinicId/reminder-policy')
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: "Drop a clinic's own policy; the organisation's applies again" })
  @ApiZodResponse(200, EffectiveReminderPolicy)
  @ApiProblems(400, 401, 403, 404)
  clearClinicPolicy(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('clinicId', id) clinicId: string,
  ): Promise<z.infer<typeof EffectiveReminderPolicy>> {
    return this.reminders.clearPolicy(scope, user, clinicId);
  }
}
