import { HttpStatus, Injectable } from '@nestjs/common';
import {
  type AppointmentType,
  can,
  ClinicClock,
  findBookingConflicts,
  findSlots,
  hasValidDryNeedlingCert,
  screenPatient,
  suitableRooms,
} from '@tautline/domain';
import { Problem } from '../common/problem';
import { type Actor, type TenantScope, userOf } from '../tenancy/tenant-scope';
import { type BookingContext, BookingContextService } from './booking-context.service';
import { conflictProblem, screeningProblem, unbookable } from './booking.problems';

const MINUTE = 60_000;
/** Bookings start on the clinic's 5-minute grid, the finest the slot search offers. */
const BOOKING_GRID_MINUTES = 5;

export interface BookingRequest {
  clinicId: string;
  patientId: string;
  practitionerId: string;
  roomId?: string;
  appointmentTypeId: string;
  start: Date;
  /** Kept from the original booking when moving one. */
  durationMinutes?: number;
  screeningOverride?: { reason: string };
  /** The appointment being moved. */
  ignoreBookingId?: string;
}

export interface BookingPlan {
  type: AppointmentType;
  roomId: string;
  start: Date;
  end: Date;
  overrideReason: string | null;
}

/**
 * Checks a booking against every rule before anything is written, so the answer names what is
 * wrong (past, off grid, certification, room, screening, clash, availability). The exclusion
 * constraints stay the final guard against a race between check and insert.
 */
@Injectable()
export class BookingPlanService {
  constructor(private readonly context: BookingContextService) {}

  async plan(
    scope: TenantScope,
    actor: Actor,
    req: BookingRequest,
    now = new Date(),
  ): Promise<BookingPlan> {
    scope.requireClinic(req.clinicId);
    if (req.start.getTime() <= now.getTime()) throw unbookable('body.start', 'is in the past');
    const ctx = await this.context.load(scope, {
      clinicId: req.clinicId,
      appointmentTypeId: req.appointmentTypeId,
      from: req.start,
      // A moved appointment keeps its own length, which may differ from the type's today.
      to: new Date(req.start.getTime() + ((req.durationMinutes ?? 0) + 1) * MINUTE),
      practitionerId: req.practitionerId,
      patientId: req.patientId,
      ignoreBookingId: req.ignoreBookingId,
    });
    const clock = new ClinicClock(ctx.clinic.timeZone);
    if (!clock.isOnGrid(req.start.getTime(), BOOKING_GRID_MINUTES)) {
      throw new Problem(
        HttpStatus.BAD_REQUEST,
        'Invalid request',
        `start must be on the clinic's ${BOOKING_GRID_MINUTES}-minute grid`,
        [
          {
            field: 'body.start',
            message: `must be on the clinic's ${BOOKING_GRID_MINUTES}-minute grid (${ctx.clinic.timeZone})`,
          },
        ],
      );
    }
    const type = ctx.appointmentType;
    const end = new Date(
      req.start.getTime() + (req.durationMinutes ?? type.durationMinutes) * MINUTE,
    );
    const localDate = clock.localDate(req.start.getTime());
    const practitioner = ctx.practitioners[0];
    if (!practitioner)
      throw unbookable('body.practitionerId', 'the practitioner does not work at this clinic');
    if (type.requiresDryNeedlingCert && !hasValidDryNeedlingCert(practitioner, localDate)) {
      throw unbookable(
        'body.practitionerId',
        `${practitioner.name} has no dry-needling certification valid on ${localDate}`,
      );
    }
    if (type.usesEstim && !practitioner.estimQualified) {
      throw unbookable('body.practitionerId', `${practitioner.name} is not qualified for e-stim`);
    }

    const override = this.override(actor, req);
    const screening =
      ctx.patient &&
      screenPatient(
        {
          ...ctx.patient.screening,
          override:
            override === undefined
              ? undefined
              : { reason: override, practitionerId: practitioner.id },
        },
        type,
        localDate,
      );
    if (screening && !screening.allowed)
      throw screeningProblem(screening.blocks, screening.needsOverride);

    const roomId = this.chooseRoom(ctx, req, type, end);
    if (!this.fitsAvailability(ctx, req, roomId, now)) {
      throw unbookable(
        'body.start',
        `${practitioner.name} is not available then (outside working hours, time off or a clinic closure)`,
      );
    }
    return { type, roomId, start: req.start, end, overrideReason: override ?? null };
  }

  private override(actor: Actor, req: BookingRequest): string | undefined {
    if (!req.screeningOverride) return undefined;
    const user = userOf(actor);
    if (!user || !can(user.role, 'screening.override')) {
      throw new Problem(
        HttpStatus.FORBIDDEN,
        'Forbidden',
        `the ${user?.role ?? 'patient'} role may not override screening (a practitioner or supervisor must)`,
      );
    }
    return req.screeningOverride.reason;
  }

  /** The requested room (which must suit the type and be free) or the first suitable free one. */
  private chooseRoom(
    ctx: BookingContext,
    req: BookingRequest,
    type: AppointmentType,
    end: Date,
  ): string {
    const proposed = (roomId: string) => ({
      id: req.ignoreBookingId,
      practitionerId: req.practitionerId,
      patientId: req.patientId,
      roomId,
      start: req.start.toISOString(),
      end: end.toISOString(),
      bufferBeforeMinutes: type.bufferBeforeMinutes,
      bufferAfterMinutes: type.bufferAfterMinutes,
    });
    const rooms = suitableRooms(ctx.rooms, ctx.clinic.id, type);
    if (req.roomId) {
      if (!ctx.rooms.some((r) => r.id === req.roomId))
        throw unbookable('body.roomId', 'the room is not in this clinic');
      if (!rooms.some((r) => r.id === req.roomId)) {
        throw unbookable(
          'body.roomId',
          type.usesEstim
            ? 'the room has no working stimulator'
            : 'the room cannot host this appointment type',
        );
      }
    }
    const candidates = req.roomId ? [req.roomId] : rooms.map((r) => r.id);
    if (candidates.length === 0)
      throw unbookable('body.roomId', 'no room of this clinic can host this appointment type');
    let firstConflict: ReturnType<typeof findBookingConflicts>[number] | undefined;
    for (const roomId of candidates) {
      const conflicts = findBookingConflicts(proposed(roomId), ctx.bookings);
      // A clash of the practitioner or patient does not depend on the room: report it at once.
      const personal = conflicts.find((c) => c.resource !== 'room');
      if (personal) throw conflictProblem(personal.resource, personal.bookingId);
      if (conflicts.length === 0) return roomId;
      firstConflict ??= conflicts[0];
    }
    throw conflictProblem('room', firstConflict?.bookingId ?? null);
  }

  /** The engine, asked about exactly this start, confirms working hours, time off and closures. */
  private fitsAvailability(
    ctx: BookingContext,
    req: BookingRequest,
    roomId: string,
    now: Date,
  ): boolean {
    const slots = findSlots({
      ...ctx,
      rooms: ctx.rooms.filter((r) => r.id === roomId),
      patient: undefined,
      from: req.start.toISOString(),
      to: new Date(req.start.getTime() + MINUTE).toISOString(),
      gridMinutes: BOOKING_GRID_MINUTES,
      now: now.toISOString(),
    });
    return slots.some((s) => s.practitionerId === req.practitionerId);
  }
}
