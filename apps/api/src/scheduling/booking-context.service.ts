import { Injectable } from '@nestjs/common';
import { type AppointmentType, type SlotSearchInput } from '@tautline/domain';
import { AvailabilityService } from '../availability/availability.service';
import { ClinicsService } from '../clinics/clinics.service';
import { PatientsService } from '../patients/patients.service';
import { AppointmentTypesService } from '../resources/appointment-types.service';
import { ResourcesService } from '../resources/resources.service';
import { type TenantScope } from '../tenancy/tenant-scope';
import { AppointmentsRepository } from './appointments.repository';

export interface BookingContextQuery {
  clinicId: string;
  appointmentTypeId: string;
  from: Date;
  to: Date;
  practitionerId?: string;
  patientId?: string;
  /** The appointment being moved: its own time does not block it. */
  ignoreBookingId?: string;
}

export type BookingContext = Omit<SlotSearchInput, 'now' | 'from' | 'to' | 'gridMinutes'> & {
  appointmentType: AppointmentType;
};

const MINUTE = 60_000;

/**
 * Everything the slot engine needs for one clinic and window, in a fixed number of queries
 * (no N+1): clinic, type, rooms, practitioners, availability, bookings, the patient's screening.
 * Each read is scoped, so a foreign id anywhere answers 404.
 */
@Injectable()
export class BookingContextService {
  constructor(
    private readonly clinics: ClinicsService,
    private readonly resources: ResourcesService,
    private readonly types: AppointmentTypesService,
    private readonly availability: AvailabilityService,
    private readonly patients: PatientsService,
    private readonly appointments: AppointmentsRepository,
  ) {}

  async load(scope: TenantScope, q: BookingContextQuery): Promise<BookingContext> {
    const [clinic, appointmentType, resources, patient] = await Promise.all([
      this.clinics.get(scope, q.clinicId),
      this.types.get(scope, q.appointmentTypeId),
      this.resources.forSlotSearch(scope, q.clinicId),
      q.patientId ? this.patients.screeningFor(scope, q.patientId) : undefined,
    ]);
    const practitioners = q.practitionerId
      ? resources.practitioners.filter((p) => p.id === q.practitionerId)
      : resources.practitioners;
    const practitionerIds = practitioners.map((p) => p.id);
    const [availability, bookings] = await Promise.all([
      this.availability.forSlotSearch(scope, q.clinicId, practitionerIds, q.from, q.to),
      this.appointments.bookingsAround(scope, {
        clinicId: q.clinicId,
        practitionerIds,
        patientId: q.patientId,
        // `occupied` already holds each booking's own buffers; widen by what a new appointment can
        // reach outside the window: its buffer before the first start, its length and buffer after the last.
        from: new Date(q.from.getTime() - appointmentType.bufferBeforeMinutes * MINUTE),
        to: new Date(
          q.to.getTime() +
            (appointmentType.durationMinutes + appointmentType.bufferAfterMinutes) * MINUTE,
        ),
      }),
    ]);
    return {
      clinic: { id: clinic.id, timeZone: clinic.timeZone },
      appointmentType,
      practitioners,
      rooms: resources.rooms,
      availability,
      bookings,
      practitionerId: q.practitionerId,
      patient: patient && { id: patient.id, screening: patient.screening },
      ignoreBookingId: q.ignoreBookingId,
    };
  }
}
