import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CreatePatientRequest,
  PATIENT_PAGE_MAX,
  PatientDetail,
  PatientPage,
  PatientSearchBody,
  PatientSearchQuery,
  PatientView,
  UpdatePatientRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { PatientsService } from './patients.service';

/** A calendar naming the patients on its cards (`ids`, no term) looks nothing up by name or phone. */
const namesByIdOnly = (request: { body?: unknown }) => {
  const body = request.body as { ids?: unknown; q?: unknown } | undefined;
  return Array.isArray(body?.ids) && body.q === undefined;
};

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Get()
  @RequirePermission('patient.read')
  @RateLimit('patient-search')
  @ApiOperation({
    summary:
      "Search the caller's patients by name prefix or phone, ordered by family name (audited)",
    description:
      'A term in the query string travels in the URL (request logs, proxies, history): prefer POST /patients/search.',
  })
  @ApiQuery({ name: 'clinicId', required: false, description: 'Only patients of this home clinic' })
  @ApiQuery({
    name: 'q',
    required: false,
    description: 'Name prefix(es) such as "ana gar", or phone digits',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `Page size, 1–${PATIENT_PAGE_MAX} (20)`,
  })
  @ApiQuery({ name: 'offset', required: false, description: 'Rows to skip (0)' })
  @ApiZodResponse(200, PatientPage)
  @ApiProblems(400, 401, 403, 404)
  search(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Query(new ZodPipe(PatientSearchQuery)) query: z.infer<typeof PatientSearchQuery>,
  ): Promise<z.infer<typeof PatientPage>> {
    return this.patients.search(scope, user, query);
  }

  @Post('search')
  @HttpCode(200)
  @RequirePermission('patient.read')
  @RateLimit('patient-search', { unless: namesByIdOnly })
  @ApiOperation({
    summary:
      'The same search with the term in the body, so no name or phone number lands in a URL (audited)',
  })
  @ApiZodBody(PatientSearchBody)
  @ApiZodResponse(200, PatientPage)
  @ApiProblems(400, 401, 403, 404)
  searchByBody(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Body(new ZodPipe(PatientSearchBody)) body: z.infer<typeof PatientSearchBody>,
  ): Promise<z.infer<typeof PatientPage>> {
    return this.patients.search(scope, user, body);
  }

  @Post()
  @RequirePermission('patient.write')
  @ApiOperation({ summary: 'Register a patient at one of the caller’s clinics' })
  @ApiZodBody(CreatePatientRequest)
  @ApiZodResponse(201, PatientView)
  @ApiProblems(400, 401, 403, 404)
  create(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Body(new ZodPipe(CreatePatientRequest)) body: z.infer<typeof CreatePatientRequest>,
  ): Promise<z.infer<typeof PatientView>> {
    return this.patients.create(scope, user, body);
  }

  @Get(':id')
  @RequirePermission('patient.read')
  @ApiOperation({
    summary:
      'One patient with screening and what it allows today; another clinic’s answers 404 (audited)',
  })
  @ApiZodResponse(200, PatientDetail)
  @ApiProblems(400, 401, 403, 404)
  get(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(z.uuid())) id: string,
  ): Promise<z.infer<typeof PatientDetail>> {
    return this.patients.get(scope, user, id);
  }

  @Patch(':id')
  @RequirePermission('patient.write')
  @ApiOperation({ summary: 'Change some of a patient’s details; null clears a phone or email' })
  @ApiZodBody(UpdatePatientRequest)
  @ApiZodResponse(200, PatientView)
  @ApiProblems(400, 401, 403, 404)
  update(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(z.uuid())) id: string,
    @Body(new ZodPipe(UpdatePatientRequest)) body: z.infer<typeof UpdatePatientRequest>,
  ): Promise<z.infer<typeof PatientView>> {
    return this.patients.update(scope, user, id, body);
  }
}
