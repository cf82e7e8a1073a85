import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateDeviceRequest,
  Device,
  DeviceWithKey,
  EntityId,
  UpdateDeviceRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { DevicesService } from './devices.service';

const id = new ZodPipe(EntityId);

@ApiTags('devices')
@ApiBearerAuth()
@Controller()
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get('clinics/:clinicId/devices')
  @RequirePermission('session.read')
  @ApiOperation({ summary: 'The stimulators of one of the caller’s clinics' })
  @ApiZodResponse(200, z.array(Device))
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @Param('clinicId', id) clinicId: string,
  ): Promise<z.infer<typeof Device>[]> {
    return this.devices.list(scope, clinicId);
  }

  @Post('clinics/:clinicId/devices')
  @RequirePermission('device.manage')
  @ApiOperation({ summary: 'Register a stimulator; the answer carries its key, shown this once' })
  @ApiZodBody(CreateDeviceRequest)
  @ApiZodResponse(201, DeviceWithKey)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  create(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('clinicId', id) clinicId: string,
    @Body(new ZodPipe(CreateDeviceRequest)) body: z.infer<typeof CreateDeviceRequest>,
  ): Promise<z.infer<typeof DeviceWithKey>> {
    return this.devices.create(scope, user, clinicId, body);
  }

  @Get('devices/:id')
  @RequirePermission('session.read')
  @ApiZodResponse(200, Device)
  @ApiProblems(400, 401, 403, 404)
  get(
    @Scope() scope: TenantScope,
    @Param('id', id) deviceId: string,
  ): Promise<z.infer<typeof Device>> {
    return this.devices.get(scope, deviceId);
  }

  @Patch('devices/:id')
  @RequirePermission('device.manage')
  @ApiOperation({
    summary: 'Move a stimulator to another room (or to storage with null), or record new firmware',
  })
  @ApiZodBody(UpdateDeviceRequest)
  @ApiZodResponse(200, Device)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  update(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', id) deviceId: string,
    @Body(new ZodPipe(UpdateDeviceRequest)) body: z.infer<typeof UpdateDeviceRequest>,
  ): Promise<z.infer<typeof Device>> {
    return this.devices.update(scope, user, deviceId, body);
  }

  @Post('devices/:id/rotate-key')
  @HttpCode(200)
  @RequirePermission('device.manage')
  @ApiOperation({ summary: 'Issue a new key (shown this once); the old key stops working at once' })
  @ApiZodResponse(200, DeviceWithKey)
  @ApiProblems(400, 401, 403, 404, 409)
  rotate(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', id) deviceId: string,
  ): Promise<z.infer<typeof DeviceWithKey>> {
    return this.devices.rotateKey(scope, user, deviceId);
  }

  @Post('devices/:id/revoke')
  @HttpCode(200)
  @RequirePermission('device.manage')
  @ApiOperation({ summary: 'Revoke a stimulator: its key stops working and its room is freed' })
  @ApiZodResponse(200, Device)
  @ApiProblems(400, 401, 403, 404)
  revoke(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', id) deviceId: string,
  ): Promise<z.infer<typeof Device>> {
    return this.devices.revoke(scope, user, deviceId);
  }
}
