import { type Slot } from '@tautline/domain';
import { DateTime } from 'luxon';
import { clinicDateTime } from './calendar.time';

export interface ClinicSlot extends Slot {
  clinicId: string;
  timeZone: string;
}

interface SlotListProps {
  slots: readonly ClinicSlot[];
  selected: ClinicSlot | null;
  onSelect(slot: ClinicSlot): void;
  describe(slot: ClinicSlot): string;
  /** Clinic name per id, shown when several clinics are searched. */
  clinicName?(clinicId: string): string;
}

export const slotKey = (s: ClinicSlot) =>
  `${s.clinicId}|${s.start}|${s.practitionerId}|${s.roomId}`;

/** Free times grouped by clinic-local day, each a toggle button; the first day opens. */
export function SlotList({ slots, selected, onSelect, describe, clinicName }: SlotListProps) {
  const days = new Map<string, { heading: string; slots: ClinicSlot[] }>();
  for (const slot of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const local = DateTime.fromISO(slot.start, { zone: slot.timeZone }).setLocale('en-GB');
    const key = `${slot.clinicId}|${local.toISODate()}`;
    const heading = `${clinicName ? `${clinicName(slot.clinicId)} · ` : ''}${local.toFormat('cccc d LLLL')}`;
    const day = days.get(key) ?? { heading, slots: [] };
    day.slots.push(slot);
    days.set(key, day);
  }
  const selectedKey = selected ? slotKey(selected) : null;
  return (
    <div className="calendar-slot-days">
      {[...days.entries()].map(([key, day], index) => (
        <details
          key={key}
          open={index === 0 || day.slots.some((s) => slotKey(s) === selectedKey) || undefined}
        >
          <summary>
            {day.heading} <span className="muted">({day.slots.length} free)</span>
          </summary>
          <ul className="calendar-slots" aria-label={day.heading}>
            {day.slots.map((slot) => (
              <li key={slotKey(slot)}>
                <button
                  type="button"
                  className="calendar-slot"
                  aria-pressed={slotKey(slot) === selectedKey}
                  aria-label={`${clinicDateTime(slot.start, slot.timeZone)}, ${describe(slot)}`}
                  onClick={() => onSelect(slot)}
                >
                  <span className="calendar-slot-time">
                    {DateTime.fromISO(slot.start, { zone: slot.timeZone }).toFormat('HH:mm')}
                  </span>
                  <span className="calendar-slot-who">{describe(slot)}</span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}
