import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ClinicClosureQuery,
  ClinicClosureView,
  CreateClinicClosureRequest,
  EntityId,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { ClosuresService } from './closures.service';

const instant = { type: 'string', format: 'date-time' } as const;

@ApiTags('availability')
@ApiBearerAuth()
@Controller()
export class ClosuresController {
  constructor(private readonly closures: ClosuresService) {}

  @Get('clinics/:clinicId/closures')
  @RequirePermission('clinic.read')
  @ApiOperation({
    summary: 'When one of the caller’s clinics is shut, optionally within [from, to)',
  })
  @ApiQuery({ name: 'from', required: false, schema: instant })
  @ApiQuery({ name: 'to', required: false, schema: instant })
  @ApiZodResponse(200, z.array(ClinicClosureView))
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @Param('clinicId', new ZodPipe(EntityId)) clinicId: string,
    @Query(new ZodPipe(ClinicClosureQuery)) query: z.infer<typeof ClinicClosureQuery>,
  ): Promise<z.infer<typeof ClinicClosureView>[]> {
    return this.closures.list(scope, clinicId, query);
  }

  @Post('clinics/:clinicId/closures')
  @RequirePermission('clinic.manage')
  @ApiOperation({
    summary:
      'Close the clinic for a whole local day (date) or a period (start, end); nothing is offered then',
  })
  @ApiZodBody(CreateClinicClosureRequest)
  @ApiZodResponse(201, ClinicClosureView)
  @ApiProblems(400, 401, 403, 404)
  create(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('clinicId', new ZodPipe(EntityId)) clinicId: string,
    @Body(new ZodPipe(CreateClinicClosureRequest)) body: z.infer<typeof CreateClinicClosureRequest>,
  ): Promise<z.infer<typeof ClinicClosureView>> {
    return this.closures.create(scope, user, clinicId, body);
  }

  @Delete('closures/:id')
  @HttpCode(204)
  @RequirePermission('clinic.manage')
  @ApiOperation({ summary: 'Reopen: remove a closure' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiProblems(400, 401, 403, 404)
  async remove(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(EntityId)) id: string,
  ): Promise<void> {
    await this.closures.remove(scope, user, id);
  }
}
