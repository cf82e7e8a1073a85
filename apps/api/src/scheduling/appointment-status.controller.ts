import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Appointment, CancelRequest, StatusChangeRequest } from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { BookingService } from './booking.service';

const Id = new ZodPipe(z.uuid());
const Change = new ZodPipe(StatusChangeRequest);

/** The appointment state machine over HTTP; an illegal move is 409 naming it. */
@ApiTags('scheduling')
@ApiBearerAuth()
@Controller('appointments/:id')
@RequirePermission('appointment.write')
export class AppointmentStatusController {
  constructor(private readonly booking: BookingService) {}

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel with a reason; frees the time' })
  @ApiZodBody(CancelRequest)
  @ApiZodResponse(200, Appointment)
  @ApiProblems(400, 401, 403, 404, 409)
  cancel(
    @Scope() s: TenantScope,
    @CurrentUser() u: AuthenticatedUser,
    @Param('id', Id) id: string,
    @Body(new ZodPipe(CancelRequest)) b: z.infer<typeof CancelRequest>,
  ) {
    return this.booking.changeStatus(s, u, id, 'cancel', b);
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiProblems(401, 403, 404, 409)
  confirm(
    @Scope() s: TenantScope,
    @CurrentUser() u: AuthenticatedUser,
    @Param('id', Id) id: string,
    @Body(Change) b: z.infer<typeof StatusChangeRequest>,
  ) {
    return this.booking.changeStatus(s, u, id, 'confirm', b);
  }

  @Post('check-in')
  @HttpCode(200)
  @ApiProblems(401, 403, 404, 409)
  checkIn(
    @Scope() s: TenantScope,
    @CurrentUser() u: AuthenticatedUser,
    @Param('id', Id) id: string,
    @Body(Change) b: z.infer<typeof StatusChangeRequest>,
  ) {
    return this.booking.changeStatus(s, u, id, 'check_in', b);
  }

  @Post('no-show')
  @HttpCode(200)
  @ApiProblems(401, 403, 404, 409)
  noShow(
    @Scope() s: TenantScope,
    @CurrentUser() u: AuthenticatedUser,
    @Param('id', Id) id: string,
    @Body(Change) b: z.infer<typeof StatusChangeRequest>,
  ) {
    return this.booking.changeStatus(s, u, id, 'mark_no_show', b);
  }

  @Post('complete')
  @HttpCode(200)
  @ApiProblems(401, 403, 404, 409)
  complete(
    @Scope() s: TenantScope,
    @CurrentUser() u: AuthenticatedUser,
    @Param('id', Id) id: string,
    @Body(Change) b: z.infer<typeof StatusChangeRequest>,
  ) {
    return this.booking.changeStatus(s, u, id, 'complete', b);
  }
}
