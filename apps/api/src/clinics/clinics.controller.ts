import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clinic } from '@tautline/domain';
import { z } from 'zod';
import { ApiProblems, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { Scope } from '../auth/auth.decorators';
import { type TenantScope } from '../tenancy/tenant-scope';
import { ClinicsService } from './clinics.service';

@ApiTags('clinics')
@ApiBearerAuth()
@Controller('clinics')
export class ClinicsController {
  constructor(private readonly clinics: ClinicsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's clinics" })
  @ApiZodResponse(200, z.array(Clinic))
  @ApiProblems(401)
  list(@Scope() scope: TenantScope): Promise<z.infer<typeof Clinic>[]> {
    return this.clinics.list(scope);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of the caller’s clinics; any other answers 404' })
  @ApiZodResponse(200, Clinic)
  @ApiProblems(400, 401, 404)
  get(
    @Scope() scope: TenantScope,
    @Param('id', new ZodPipe(z.uuid())) id: string,
  ): Promise<z.infer<typeof Clinic>> {
    return this.clinics.get(scope, id);
  }
}
