import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SlotList, SlotQuery } from '@tautline/domain';
import { type z } from 'zod';
import { RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { type TenantScope } from '../tenancy/tenant-scope';
import { SlotsService } from './slots.service';

@ApiTags('scheduling')
@ApiBearerAuth()
@Controller('slots')
export class SlotsController {
  constructor(private readonly slots: SlotsService) {}

  @Get()
  @RequirePermission('appointment.read')
  @RateLimit('slots')
  @ApiOperation({
    summary:
      'Free start times for an appointment type, each with a practitioner and room that can take it',
    description:
      "Query: clinicId, appointmentTypeId, from, to (ISO instants, at most 31 days), optional practitionerId, patientId (applies screening and their other appointments), grid (5, 10 or 15 minutes, in the clinic zone), limit (slots per answer, default 200, at most 500) and cursor (the previous answer's `nextCursor`). Slots come in start order; `nextCursor` is null on the last page.",
  })
  @ApiZodQuery(SlotQuery)
  @ApiZodResponse(200, SlotList)
  @ApiProblems(400, 401, 403, 404)
  search(
    @Scope() scope: TenantScope,
    @Query(new ZodPipe(SlotQuery)) query: z.infer<typeof SlotQuery>,
  ): Promise<z.infer<typeof SlotList>> {
    return this.slots.search(scope, query);
  }
}
