import { Body, Controller, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  PatientScreeningView,
  RecordConsentRequest,
  SetContraindicationsRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { PatientScreeningService } from './patient-screening.service';

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients/:id')
export class PatientScreeningController {
  constructor(private readonly screenings: PatientScreeningService) {}

  @Post('consents')
  @RequirePermission('patient.write')
  @ApiOperation({
    summary:
      'Record a signed informed consent (dry needling or e-stim); answers the updated screening',
  })
  @ApiZodBody(RecordConsentRequest)
  @ApiZodResponse(201, PatientScreeningView)
  @ApiProblems(400, 401, 403, 404, 409)
  recordConsent(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(z.uuid())) id: string,
    @Body(new ZodPipe(RecordConsentRequest)) body: z.infer<typeof RecordConsentRequest>,
  ): Promise<z.infer<typeof PatientScreeningView>> {
    return this.screenings.recordConsent(scope, user, id, body);
  }

  @Put('contraindications')
  @RequirePermission('patient.write')
  @ApiOperation({
    summary:
      'Replace the patient’s contraindications (catalogue codes); answers the updated screening',
  })
  @ApiZodBody(SetContraindicationsRequest)
  @ApiZodResponse(200, PatientScreeningView)
  @ApiProblems(400, 401, 403, 404)
  setContraindications(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(z.uuid())) id: string,
    @Body(new ZodPipe(SetContraindicationsRequest))
    body: z.infer<typeof SetContraindicationsRequest>,
  ): Promise<z.infer<typeof PatientScreeningView>> {
    return this.screenings.setContraindications(scope, user, id, body);
  }
}
