import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Appointment,
  AppointmentListQuery,
  CreateAppointmentRequest,
  RescheduleRequest,
  SeriesRequest,
  SeriesResult,
} from '@tautline/domain';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { notFound, Problem } from '../common/problem';
import { ZodPipe } from '../common/zod.pipe';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { toAppointment } from './appointment.row';
import { AppointmentsRepository } from './appointments.repository';
import { BookingService } from './booking.service';
import { IdempotencyService, type Outcome } from './idempotency.service';
import { SeriesService } from './series.service';

const IdempotencyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key + same body answers the original; same key + other body is 409',
  });

@ApiTags('scheduling')
@ApiBearerAuth()
@Controller('appointments')
export class AppointmentsController {
  constructor(
    private readonly booking: BookingService,
    private readonly series: SeriesService,
    private readonly idempotency: IdempotencyService,
    private readonly appointments: AppointmentsRepository,
  ) {}

  @Post()
  @RequirePermission('appointment.write')
  @RateLimit('bookings')
  @IdempotencyHeader()
  @ApiOperation({
    summary: 'Book an appointment (409 names the practitioner, room or patient that clashes)',
  })
  @ApiZodBody(CreateAppointmentRequest)
  @ApiZodResponse(201, Appointment)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async create(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Body(new ZodPipe(CreateAppointmentRequest)) body: z.infer<typeof CreateAppointmentRequest>,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<z.infer<typeof Appointment>> {
    const fingerprint = IdempotencyService.fingerprint('POST', req.url, body);
    const outcome = await this.idempotency.run(user, key, fingerprint, async () => {
      const write = await this.booking.prepareCreate(scope, user, body);
      return async (tx) => ({ status: 201, body: await write(tx) });
    });
    return this.answer(reply, outcome, (a) => this.booking.announce('created', a));
  }

  @Post('series')
  @RequirePermission('appointment.write')
  @RateLimit('bookings')
  @IdempotencyHeader()
  @ApiOperation({
    summary: 'Book a course (e.g. 6 weekly sessions): all or nothing, or book what fits',
  })
  @ApiZodBody(SeriesRequest)
  @ApiZodResponse(201, SeriesResult)
  @ApiProblems(400, 401, 403, 404, 409)
  async createSeries(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Body(new ZodPipe(SeriesRequest)) body: z.infer<typeof SeriesRequest>,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<z.infer<typeof SeriesResult>> {
    const fingerprint = IdempotencyService.fingerprint('POST', req.url, body);
    const outcome = await this.idempotency.run(user, key, fingerprint, () =>
      this.series.prepare(scope, user, body),
    );
    // Nothing booked: a problem like every other 409, with each occurrence's outcome as an extension.
    if (outcome.status === 409) {
      const { occurrences } = outcome.body;
      const clashing = occurrences.filter((o) => o.outcome === 'conflict').length;
      throw new Problem(
        409,
        'Conflict',
        `Nothing booked: ${clashing} of ${occurrences.length} occurrences conflict`,
        undefined,
        {
          seriesId: null,
          occurrences,
        },
      );
    }
    return this.answer(reply, outcome, (result) =>
      result.occurrences.forEach(
        (o) => o.outcome === 'booked' && this.booking.announce('created', o.appointment),
      ),
    );
  }

  @Get()
  @RequirePermission('appointment.read')
  @ApiOperation({
    summary:
      'Calendar: appointments of a clinic, room, practitioner or patient over at most 31 days',
  })
  @ApiZodQuery(AppointmentListQuery)
  @ApiZodResponse(200, z.array(Appointment))
  @ApiProblems(400, 401, 403, 404)
  async list(
    @Scope() scope: TenantScope,
    @Query(new ZodPipe(AppointmentListQuery)) q: z.infer<typeof AppointmentListQuery>,
  ) {
    if (q.clinicId) scope.requireClinic(q.clinicId);
    const rows = await this.appointments.list(scope, {
      ...q,
      from: new Date(q.from),
      to: new Date(q.to),
    });
    return rows.map(toAppointment);
  }

  @Get(':id')
  @RequirePermission('appointment.read')
  @ApiZodResponse(200, Appointment)
  @ApiProblems(400, 401, 404)
  async get(@Scope() scope: TenantScope, @Param('id', new ZodPipe(z.uuid())) id: string) {
    const row = await this.appointments.find(scope, id);
    if (!row) throw notFound('appointment', id);
    return toAppointment(row);
  }

  @Patch(':id')
  @RequirePermission('appointment.write')
  @ApiOperation({ summary: 'Reschedule (optimistic: the version you saw, else 409)' })
  @ApiZodBody(RescheduleRequest)
  @ApiZodResponse(200, Appointment)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  reschedule(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(z.uuid())) id: string,
    @Body(new ZodPipe(RescheduleRequest)) body: z.infer<typeof RescheduleRequest>,
  ) {
    return this.booking.reschedule(scope, user, id, body);
  }

  /** Sets the status code of a (possibly replayed) idempotent answer; side effects only on first run. */
  private answer<T>(reply: FastifyReply, outcome: Outcome<T>, onFirstRun: (body: T) => void): T {
    void reply.status(outcome.status);
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    else if (outcome.status < 300) onFirstRun(outcome.body);
    return outcome.body;
  }
}
