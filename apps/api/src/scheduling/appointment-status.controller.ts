import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  Appointment,
  type AppointmentEvent,
  CancelRequest,
  StatusChangeRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { BookingService } from './booking.service';

/** URL actions and the state-machine events they fire. */
const ACTIONS = {
  confirm: 'confirm',
  'check-in': 'check_in',
  'no-show': 'mark_no_show',
  complete: 'complete',
  cancel: 'cancel',
} as const satisfies Record<string, Exclude<AppointmentEvent, 'reschedule' | 'start_session'>>;
type Action = keyof typeof ACTIONS;
const Action = z.enum(Object.keys(ACTIONS) as [Action, ...Action[]]);

const cancelBody = new ZodPipe(CancelRequest);
const changeBody = new ZodPipe(StatusChangeRequest);

/** The appointment state machine over HTTP; an illegal move is 409 naming it. */
@ApiTags('scheduling')
@ApiBearerAuth()
@Controller('appointments/:id')
export class AppointmentStatusController {
  constructor(private readonly booking: BookingService) {}

  @Post(':action')
  @HttpCode(200)
  @RequirePermission('appointment.write')
  @ApiOperation({
    summary: 'Confirm, check in, mark a no-show, complete or cancel',
    description: 'Body `{ version? }`; cancel needs `{ reason, version? }` and frees the time.',
  })
  @ApiParam({ name: 'action', enum: Object.keys(ACTIONS) })
  @ApiZodBody(CancelRequest)
  @ApiZodResponse(200, Appointment)
  @ApiProblems(400, 401, 403, 404, 409)
  change(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(z.uuid())) id: string,
    @Param('action', new ZodPipe(Action)) action: Action,
    @Body() raw: unknown,
  ): Promise<z.infer<typeof Appointment>> {
    const metadata = { type: 'body' as const };
    const body =
      action === 'cancel'
        ? cancelBody.transform(raw, metadata)
        : changeBody.transform(raw, metadata);
    return this.booking.changeStatus(scope, user, id, ACTIONS[action], body);
  }
}
