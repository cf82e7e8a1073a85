import { Injectable } from '@nestjs/common';
import {
  DEFAULT_SLOT_GRID_MINUTES,
  findSlots,
  pageSlots,
  SLOT_PAGE_DEFAULT,
  type SlotList,
  type SlotQuery,
} from '@tautline/domain';
import { type TenantScope } from '../tenancy/tenant-scope';
import { BookingContextService } from './booking-context.service';

@Injectable()
export class SlotsService {
  constructor(private readonly context: BookingContextService) {}

  /**
   * Free starts for a type in a clinic: the pure engine over one scoped read of the diary, one
   * bounded page at a time (a cursor resumes after the last slot of the previous page).
   */
  async search(scope: TenantScope, query: SlotQuery, now = new Date()): Promise<SlotList> {
    scope.requireClinic(query.clinicId);
    // A later page need not look at the diary before its cursor.
    const fromMs = Math.max(Date.parse(query.from), query.cursor?.startMs ?? -Infinity);
    const from = new Date(Math.min(fromMs, Date.parse(query.to))).toISOString();
    const context = await this.context.load(scope, {
      clinicId: query.clinicId,
      appointmentTypeId: query.appointmentTypeId,
      from: new Date(from),
      to: new Date(query.to),
      practitionerId: query.practitionerId,
      patientId: query.patientId,
    });
    const gridMinutes = query.grid ?? DEFAULT_SLOT_GRID_MINUTES;
    const slots = findSlots({
      ...context,
      from,
      to: query.to,
      gridMinutes,
      now: now.toISOString(),
    });
    const page = pageSlots(slots, { limit: query.limit ?? SLOT_PAGE_DEFAULT, after: query.cursor });
    return { timeZone: context.clinic.timeZone, gridMinutes, ...page };
  }
}
