import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  PatientAppointmentView,
  PatientCancelRequest,
  PatientRescheduleRequest,
  PatientSlotList,
  PatientSlotQuery,
} from '@tautline/domain';
import { type z } from 'zod';
import { Public } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { PatientLinksService } from './patient-links.service';

type View = z.infer<typeof PatientAppointmentView>;

const TOKEN_PARAM = {
  name: 'token',
  description:
    'The signed link token from a reminder (`/p/<token>`). A tampered, expired or malformed token answers 404.',
};

/**
 * What a patient can do from a reminder link, without signing in: the token is the credential
 * and names one appointment. Answers hold the minimum (no treatment, practitioner or screening)
 * and are never cached.
 */
@ApiTags('patient-links')
@Public()
@Controller('patient-links/:token')
export class PatientLinksController {
  constructor(private readonly links: PatientLinksService) {}

  @Get()
  @Header('cache-control', 'private, no-store')
  @ApiOperation({ summary: 'The appointment a reminder link names, with what the patient may do' })
  @ApiParam(TOKEN_PARAM)
  @ApiZodResponse(200, PatientAppointmentView)
  @ApiProblems(404)
  view(@Param('token') token: string): Promise<View> {
    return this.links.view(token);
  }

  @Post('confirm')
  @HttpCode(200)
  @Header('cache-control', 'private, no-store')
  @ApiOperation({
    summary: 'Confirm the appointment (already confirmed: the same answer, no change)',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiZodResponse(200, PatientAppointmentView)
  @ApiProblems(404, 409)
  confirm(@Param('token') token: string): Promise<View> {
    return this.links.confirm(token);
  }

  @Post('cancel')
  @HttpCode(200)
  @Header('cache-control', 'private, no-store')
  @ApiOperation({
    summary: "Cancel before the clinic's late-cancel cut-off",
    description:
      'After the cut-off the answer is 409 asking the patient to call the clinic (its phone is named). Already cancelled: the same answer, no change.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiZodBody(PatientCancelRequest)
  @ApiZodResponse(200, PatientAppointmentView)
  @ApiProblems(400, 404, 409)
  cancel(
    @Param('token') token: string,
    @Body(new ZodPipe(PatientCancelRequest)) body: z.infer<typeof PatientCancelRequest>,
  ): Promise<View> {
    return this.links.cancel(token, body);
  }

  @Get('slots')
  @RateLimit('patient-link-slots')
  @Header('cache-control', 'private, no-store')
  @ApiOperation({
    summary: 'Free times with the same practitioner, clinic and appointment type',
    description:
      'Default window: now to 14 days ahead; at most 31 days. At most 100 times per answer: `nextFrom` (with the same `to`) continues.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'ISO instant (default now; a page’s `nextFrom` continues)',
  })
  @ApiQuery({ name: 'to', required: false, description: 'ISO instant (default from + 14 days)' })
  @ApiZodResponse(200, PatientSlotList)
  @ApiProblems(400, 404, 409)
  slots(
    @Param('token') token: string,
    @Query(new ZodPipe(PatientSlotQuery)) query: z.infer<typeof PatientSlotQuery>,
  ): Promise<z.infer<typeof PatientSlotList>> {
    return this.links.slots(token, query);
  }

  @Post('reschedule')
  @HttpCode(200)
  @Header('cache-control', 'private, no-store')
  @ApiOperation({
    summary: 'Move the appointment to one of the offered times',
    description:
      'Send the version the page showed: a stale one is 409, a time taken meanwhile is 409, the current time is a no-op.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiZodBody(PatientRescheduleRequest)
  @ApiZodResponse(200, PatientAppointmentView)
  @ApiProblems(400, 404, 409, 422)
  reschedule(
    @Param('token') token: string,
    @Body(new ZodPipe(PatientRescheduleRequest)) body: z.infer<typeof PatientRescheduleRequest>,
  ): Promise<View> {
    return this.links.reschedule(token, body);
  }
}
