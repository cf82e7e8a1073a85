import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AppointmentTypeView,
  CreateAppointmentTypeRequest,
  EntityId,
  UpdateAppointmentTypeRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { AppointmentTypesService } from './appointment-types.service';

@ApiTags('appointment types')
@ApiBearerAuth()
@Controller('appointment-types')
export class AppointmentTypesController {
  constructor(private readonly types: AppointmentTypesService) {}

  @Get()
  @RequirePermission('clinic.read')
  @ApiOperation({ summary: 'The organisation’s appointment types, retired ones included' })
  @ApiZodResponse(200, z.array(AppointmentTypeView))
  @ApiProblems(401, 403)
  list(@Scope() scope: TenantScope): Promise<z.infer<typeof AppointmentTypeView>[]> {
    return this.types.list(scope);
  }

  @Post()
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: 'Add an appointment type (names are unique within the organisation)' })
  @ApiZodBody(CreateAppointmentTypeRequest)
  @ApiZodResponse(201, AppointmentTypeView)
  @ApiProblems(400, 401, 403, 409)
  create(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Body(new ZodPipe(CreateAppointmentTypeRequest))
    body: z.infer<typeof CreateAppointmentTypeRequest>,
  ): Promise<z.infer<typeof AppointmentTypeView>> {
    return this.types.create(scope, user, body);
  }

  @Get(':id')
  @RequirePermission('clinic.read')
  @ApiOperation({ summary: 'One appointment type of the organisation; any other answers 404' })
  @ApiZodResponse(200, AppointmentTypeView)
  @ApiProblems(400, 401, 403, 404)
  get(
    @Scope() scope: TenantScope,
    @Param('id', new ZodPipe(EntityId)) id: string,
  ): Promise<z.infer<typeof AppointmentTypeView>> {
    return this.types.find(scope, id);
  }

  @Patch(':id')
  @RequirePermission('clinic.manage')
  @ApiOperation({
    summary:
      'Change an appointment type or retire it (active: false); existing bookings keep their times and buffers',
  })
  @ApiZodBody(UpdateAppointmentTypeRequest)
  @ApiZodResponse(200, AppointmentTypeView)
  @ApiProblems(400, 401, 403, 404, 409)
  update(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Body(new ZodPipe(UpdateAppointmentTypeRequest))
    body: z.infer<typeof UpdateAppointmentTypeRequest>,
  ): Promise<z.infer<typeof AppointmentTypeView>> {
    return this.types.update(scope, user, id, body);
  }
}
