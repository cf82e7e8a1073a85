import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AvailabilityExceptionView,
  AvailabilityRuleView,
  CreateAvailabilityExceptionRequest,
  CreateAvailabilityRuleRequest,
  EntityId,
  PractitionerAvailability,
  PractitionerAvailabilityQuery,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { AvailabilityChangesService } from './availability-changes.service';
import { AvailabilityService } from './availability.service';

const uuid = { type: 'string', format: 'uuid' } as const;
const instant = { type: 'string', format: 'date-time' } as const;

@ApiTags('availability')
@ApiBearerAuth()
@Controller()
export class AvailabilityController {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly changes: AvailabilityChangesService,
  ) {}

  @Get('practitioners/:id/availability')
  @RequirePermission('clinic.read')
  @ApiOperation({
    summary:
      'A practitioner’s weekly rules (local wall-clock time of each clinic) and exceptions at the caller’s clinics, or at one of them',
  })
  @ApiQuery({ name: 'clinicId', required: false, schema: uuid })
  @ApiQuery({
    name: 'from',
    required: false,
    schema: instant,
    description: 'exceptions ending after this instant',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    schema: instant,
    description: 'exceptions starting before this instant',
  })
  @ApiZodResponse(200, PractitionerAvailability)
  @ApiProblems(400, 401, 403, 404)
  get(
    @Scope() scope: TenantScope,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Query(new ZodPipe(PractitionerAvailabilityQuery))
    query: z.infer<typeof PractitionerAvailabilityQuery>,
  ): Promise<z.infer<typeof PractitionerAvailability>> {
    return this.availability.forPractitioner(scope, id, query);
  }

  @Post('practitioners/:id/availability-rules')
  @RequirePermission('clinic.manage')
  @ApiOperation({
    summary:
      'Add a weekly working interval (HH:mm in the clinic’s zone) at a clinic the practitioner works at; overlapping rules are 409',
  })
  @ApiZodBody(CreateAvailabilityRuleRequest)
  @ApiZodResponse(201, AvailabilityRuleView)
  @ApiProblems(400, 401, 403, 404, 409)
  addRule(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Body(new ZodPipe(CreateAvailabilityRuleRequest))
    body: z.infer<typeof CreateAvailabilityRuleRequest>,
  ): Promise<z.infer<typeof AvailabilityRuleView>> {
    return this.changes.addRule(scope, user, id, body);
  }

  @Delete('availability-rules/:id')
  @HttpCode(204)
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: 'Remove a weekly rule (existing bookings stay)' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiProblems(400, 401, 403, 404)
  async removeRule(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
  ): Promise<void> {
    await this.changes.removeRule(scope, user, id);
  }

  @Post('practitioners/:id/availability-exceptions')
  @RequirePermission('clinic.manage')
  @ApiOperation({
    summary:
      'Add time off (at one clinic, or everywhere without clinicId) or extra hours (at one clinic), as instants',
  })
  @ApiZodBody(CreateAvailabilityExceptionRequest)
  @ApiZodResponse(201, AvailabilityExceptionView)
  @ApiProblems(400, 401, 403, 404)
  addException(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Body(new ZodPipe(CreateAvailabilityExceptionRequest))
    body: z.infer<typeof CreateAvailabilityExceptionRequest>,
  ): Promise<z.infer<typeof AvailabilityExceptionView>> {
    return this.changes.addException(scope, user, id, body);
  }

  @Delete('availability-exceptions/:id')
  @HttpCode(204)
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: 'Remove an exception' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiProblems(400, 401, 403, 404)
  async removeException(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
  ): Promise<void> {
    await this.changes.removeException(scope, user, id);
  }
}
