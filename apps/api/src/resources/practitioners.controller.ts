import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CreatePractitionerRequest,
  EntityId,
  PractitionerListQuery,
  PractitionerView,
  UpdatePractitionerRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { PractitionersService } from './practitioners.service';

@ApiTags('practitioners')
@ApiBearerAuth()
@Controller('practitioners')
export class PractitionersController {
  constructor(private readonly practitioners: PractitionersService) {}

  @Get()
  @RequirePermission('clinic.read')
  @ApiOperation({
    summary:
      'Practitioners working at the caller’s clinics (or at one of them); each lists only the caller’s clinics',
  })
  @ApiQuery({ name: 'clinicId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiZodResponse(200, z.array(PractitionerView))
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @Query(new ZodPipe(PractitionerListQuery)) query: z.infer<typeof PractitionerListQuery>,
  ): Promise<z.infer<typeof PractitionerView>[]> {
    return this.practitioners.list(scope, query);
  }

  @Post()
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: 'Add a practitioner working at some of the caller’s clinics' })
  @ApiZodBody(CreatePractitionerRequest)
  @ApiZodResponse(201, PractitionerView)
  @ApiProblems(400, 401, 403, 404)
  create(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Body(new ZodPipe(CreatePractitionerRequest)) body: z.infer<typeof CreatePractitionerRequest>,
  ): Promise<z.infer<typeof PractitionerView>> {
    return this.practitioners.create(scope, user, body);
  }

  @Get(':id')
  @RequirePermission('clinic.read')
  @ApiOperation({
    summary: 'One practitioner working at the caller’s clinics; any other answers 404',
  })
  @ApiZodResponse(200, PractitionerView)
  @ApiProblems(400, 401, 403, 404)
  get(
    @Scope() scope: TenantScope,
    @Param('id', new ZodPipe(EntityId)) id: string,
  ): Promise<z.infer<typeof PractitionerView>> {
    return this.practitioners.get(scope, id);
  }

  @Patch(':id')
  @RequirePermission('clinic.manage')
  @ApiOperation({
    summary:
      'Change a practitioner; clinicIds replaces their clinics among the caller’s (leaving one drops the availability kept there)',
  })
  @ApiZodBody(UpdatePractitionerRequest)
  @ApiZodResponse(200, PractitionerView)
  @ApiProblems(400, 401, 403, 404, 409)
  update(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
    @Body(new ZodPipe(UpdatePractitionerRequest)) body: z.infer<typeof UpdatePractitionerRequest>,
  ): Promise<z.infer<typeof PractitionerView>> {
    return this.practitioners.update(scope, user, id, body);
  }
}
