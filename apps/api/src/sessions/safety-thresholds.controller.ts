import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EntityId, SafetyThresholds, SafetyThresholdsRequest } from '@tautline/domain';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { inTransaction } from '../common/transaction';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { clinicThresholds } from './safety-thresholds.store';

/** A clinic's safety thresholds; sessions copy them when created, so a change applies to new sessions. */
@ApiTags('sessions')
@ApiBearerAuth()
@Controller('clinics/:clinicId/safety-thresholds')
export class SafetyThresholdsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequirePermission('session.read')
  @ApiZodResponse(200, SafetyThresholds)
  @ApiProblems(400, 401, 403, 404)
  get(@Scope() scope: TenantScope, @Param('clinicId', new ZodPipe(EntityId)) clinicId: string) {
    scope.requireClinic(clinicId);
    return clinicThresholds(this.db.manager, scope.organisationId, clinicId);
  }

  @Put()
  @RequirePermission('clinic.manage')
  @ApiOperation({
    summary: 'Set the clinic’s thresholds (tighten or relax limits; no rule can be turned off)',
  })
  @ApiZodBody(SafetyThresholdsRequest)
  @ApiZodResponse(200, SafetyThresholds)
  @ApiProblems(400, 401, 403, 404)
  async set(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('clinicId', new ZodPipe(EntityId)) clinicId: string,
    @Body(new ZodPipe(SafetyThresholdsRequest)) body: z.infer<typeof SafetyThresholds>,
  ): Promise<z.infer<typeof SafetyThresholds>> {
    scope.requireClinic(clinicId);
    await inTransaction(this.db, async (tx) => {
      await tx.query(
        `INSERT INTO clinic_safety_thresholds (clinic_id, organisation_id, thresholds, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (clinic_id) DO UPDATE SET thresholds = EXCLUDED.thresholds, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [clinicId, scope.organisationId, JSON.stringify(body), user.id],
      );
      await this.audit.record(tx, user, {
        action: 'safety_thresholds.set',
        subjectType: 'clinic',
        subjectId: clinicId,
        clinicId,
      });
    });
    return body;
  }
}
