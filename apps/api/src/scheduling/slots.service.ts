import { Injectable } from '@nestjs/common';
import {
  DEFAULT_SLOT_GRID_MINUTES,
  findSlots,
  type SlotList,
  type SlotQuery,
} from '@tautline/domain';
import { type TenantScope } from '../tenancy/tenant-scope';
import { BookingContextService } from './booking-context.service';

@Injectable()
export class SlotsService {
  constructor(private readonly context: BookingContextService) {}

  /** Free starts for a type in a clinic: the pure engine over one scoped read of the diary. */
  async search(scope: TenantScope, query: SlotQuery, now = new Date()): Promise<SlotList> {
    scope.requireClinic(query.clinicId);
    const context = await this.context.load(scope, {
      clinicId: query.clinicId,
      appointmentTypeId: query.appointmentTypeId,
      from: new Date(query.from),
      to: new Date(query.to),
      practitionerId: query.practitionerId,
      patientId: query.patientId,
    });
    const gridMinutes = query.grid ?? DEFAULT_SLOT_GRID_MINUTES;
    const slots = findSlots({
      ...context,
      from: query.from,
      to: query.to,
      gridMinutes,
      now: now.toISOString(),
    });
    return { timeZone: context.clinic.timeZone, gridMinutes, slots };
  }
}
