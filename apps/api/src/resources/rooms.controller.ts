import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateRoomRequest,
  EntityId,
  Room,
  RoomRemoval,
  UpdateRoomRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { RoomsService } from './rooms.service';

@ApiTags('rooms')
@ApiBearerAuth()
@Controller()
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Get('clinics/:clinicId/rooms')
  @RequirePermission('clinic.read')
  @ApiOperation({ summary: 'The rooms of one of the caller’s clinics, inactive ones included' })
  @ApiZodResponse(200, z.array(Room))
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @Param('clinicId', new ZodPipe(EntityId)) clinicId: string,
  ): Promise<z.infer<typeof Room>[]> {
    return this.rooms.list(scope, clinicId);
  }

  @Post('clinics/:clinicId/rooms')
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: 'Add a room to a clinic (names are unique within the clinic)' })
  @ApiZodBody(CreateRoomRequest)
  @ApiZodResponse(201, Room)
  @ApiProblems(400, 401, 403, 404, 409)
  create(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('clinicId', new ZodPipe(EntityId)) clinicId: string,
    @Body(new ZodPipe(CreateRoomRequest)) body: z.infer<typeof CreateRoomRequest>,
  ): Promise<z.infer<typeof Room>> {
    return this.rooms.create(scope, user, clinicId, body);
  }

  @Get('rooms/:id')
  @RequirePermission('clinic.read')
  @ApiOperation({ summary: 'One room of the caller’s clinics; any other answers 404' })
  @ApiZodResponse(200, Room)
  @ApiProblems(400, 401, 403, 404)
  get(
    @Scope() scope: TenantScope,
    @Param('id', new ZodPipe(EntityId)) id: string,
  ): Promise<z.infer<typeof Room>> {
    return this.rooms.get(scope, id);
  }

  @Patch('rooms/:id')
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: 'Rename a room, change its stimulator or (de)activate it' })
  @ApiZodBody(UpdateRoomRequest)
  @ApiZodResponse(200, Room)
  @ApiProblems(400, 401, 403, 404, 409)
  update(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Body(new ZodPipe(UpdateRoomRequest)) body: z.infer<typeof UpdateRoomRequest>,
  ): Promise<z.infer<typeof Room>> {
    return this.rooms.update(scope, user, id, body);
  }

  @Delete('rooms/:id')
  @RequirePermission('clinic.manage')
  @ApiOperation({
    summary:
      'Remove a room: deleted if it was never booked, otherwise deactivated so its history stays',
  })
  @ApiZodResponse(200, RoomRemoval)
  @ApiProblems(400, 401, 403, 404)
  remove(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
  ): Promise<z.infer<typeof RoomRemoval>> {
    return this.rooms.remove(scope, user, id);
  }
}
