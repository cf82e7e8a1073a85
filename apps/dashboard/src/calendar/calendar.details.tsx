import {
  allowedEvents,
  can,
  type Appointment,
  type AppointmentTypeView,
  type PractitionerView,
  type Role,
  type Room,
} from '@tautline/domain';
import { AppointmentReminders } from '../messages/messages.reminders';
import { PatientMessages } from '../messages/messages.patient';
import { DateTime } from 'luxon';
import { useEffect, useId, useRef, useState } from 'react';
import {
  changeAppointmentStatus,
  fetchSlots,
  rescheduleAppointment,
  type Auth,
  type StatusAction,
} from './calendar.api';
import { explainSchedulingProblem, isStaleVersion } from './calendar.problem';
import { SessionPlanEditor } from './calendar.session-plan';
import { SlotList, type ClinicSlot } from './calendar.slots';
import { clinicDateTime, clinicTime } from './calendar.time';

export const STATUS_WORDS: Record<Appointment['status'], string> = {
  booked: 'booked',
  confirmed: 'confirmed',
  checked_in: 'checked in',
  in_session: 'in session',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show: 'no-show',
};

interface DetailsProps {
  auth: Auth;
  appointment: Appointment;
  zone: string;
  patient: string;
  type: AppointmentTypeView | undefined;
  practitioners: readonly PractitionerView[];
  rooms: readonly Room[];
  /** Clinicians (`session.operate`) set up the e-stim session of a checked-in appointment here. */
  role?: Role;
  lookup(id: string): Promise<Appointment | null>;
  /** A newer copy from the server (an action's answer or a reload). */
  onChanged(appointment: Appointment, message: string): void;
  onClose(): void;
}

const ACTIONS: {
  action: StatusAction;
  event: ReturnType<typeof allowedEvents>[number];
  label: string;
  done: string;
}[] = [
  { action: 'confirm', event: 'confirm', label: 'Confirm', done: 'Confirmed' },
  { action: 'check-in', event: 'check_in', label: 'Check in', done: 'Checked in' },
  { action: 'no-show', event: 'mark_no_show', label: 'Mark no-show', done: 'Marked as a no-show' },
];

/** A modal dialog: what the appointment is, and what can be done with it now. */
export function AppointmentDetails({
  auth,
  appointment,
  zone,
  patient,
  type,
  practitioners,
  rooms,
  role,
  lookup,
  onChanged,
  onClose,
}: DetailsProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<'view' | 'cancel' | 'move' | 'estim'>('view');
  const [reason, setReason] = useState('');
  const [slots, setSlots] = useState<ClinicSlot[] | null>(null);
  const [selected, setSelected] = useState<ClinicSlot | null>(null);
  const allowed = allowedEvents(appointment.status);
  const practitioner =
    practitioners.find((p) => p.id === appointment.practitionerId)?.name ?? 'Practitioner';
  const room = rooms.find((r) => r.id === appointment.roomId)?.name ?? 'Room';
  const mayPlanEstim =
    appointment.status === 'checked_in' &&
    type?.usesEstim === true &&
    role !== undefined &&
    can(role, 'session.operate');

  useEffect(() => heading.current?.focus(), [mode]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  async function run(work: () => Promise<Appointment>, done: string) {
    setBusy(true);
    setError(null);
    try {
      const next = await work();
      setMode('view');
      onChanged(next, `${done}: ${patient}, ${clinicDateTime(next.start, zone)}.`);
    } catch (e) {
      setError(await explainSchedulingProblem(e, zone, lookup));
      if (isStaleVersion(e)) {
        const fresh = await lookup(appointment.id).catch(() => null);
        if (fresh)
          onChanged(fresh, 'Someone changed this appointment meanwhile; it has been reloaded.');
      }
    } finally {
      setBusy(false);
    }
  }

  async function findTimes() {
    setMode('move');
    setSelected(null);
    setError(null);
    setSlots(null);
    const from = DateTime.max(
      DateTime.fromISO(appointment.start, { zone }).startOf('day'),
      DateTime.now().setZone(zone),
    );
    try {
      const list = await fetchSlots(auth, {
        clinicId: appointment.clinicId,
        appointmentTypeId: appointment.appointmentTypeId,
        practitionerId: appointment.practitionerId,
        patientId: appointment.patientId,
        from: from.toUTC().toISO() ?? '',
        to: from.plus({ days: 14 }).toUTC().toISO() ?? '',
      });
      setSlots(
        list.slots.map((s) => ({ ...s, clinicId: appointment.clinicId, timeZone: list.timeZone })),
      );
    } catch (e) {
      setError(await explainSchedulingProblem(e, zone, lookup));
    }
  }

  return (
    <div className="calendar-dialog-backdrop">
      <div
        className="calendar-dialog card"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-h`}
      >
        <h3 id={`${id}-h`} ref={heading} tabIndex={-1}>
          {patient}: {type?.name ?? 'Appointment'}
        </h3>
        <dl className="calendar-details">
          <dt>When</dt>
          <dd>
            {clinicDateTime(appointment.start, zone).replace(
              / (\S+)$/,
              `–${clinicTime(appointment.end, zone)} $1`,
            )}
          </dd>
          <dt>With</dt>
          <dd>
            {practitioner}, {room}
          </dd>
          <dt>Status</dt>
          <dd data-testid="appointment-status">{STATUS_WORDS[appointment.status]}</dd>
          {appointment.cancelledReason && (
            <>
              <dt>Cancelled because</dt>
              <dd>{appointment.cancelledReason}</dd>
            </>
          )}
          {appointment.screeningOverrideReason && (
            <>
              <dt>Screening override</dt>
              <dd>{appointment.screeningOverrideReason}</dd>
            </>
          )}
        </dl>
        <div aria-live="assertive">
          {error && (
            <p className="banner banner-error" role="alert">
              {error}
            </p>
          )}
        </div>
        {mode === 'view' && (
          <div className="calendar-buttons">
            {ACTIONS.filter((a) => allowed.includes(a.event)).map((a) => (
              <button
                key={a.action}
                type="button"
                className="button-secondary"
                disabled={busy}
                onClick={() =>
                  void run(
                    () =>
                      changeAppointmentStatus(auth, appointment.id, a.action, {
                        version: appointment.version,
                      }),
                    a.done,
                  )
                }
              >
                {a.label}
              </button>
            ))}
            {mayPlanEstim && (
              <button type="button" className="button-primary" onClick={() => setMode('estim')}>
                Set up e-stim session
              </button>
            )}
            {allowed.includes('reschedule') && (
              <button
                type="button"
                className="button-secondary"
                disabled={busy}
                onClick={() => void findTimes()}
              >
                Reschedule
              </button>
            )}
            {allowed.includes('cancel') && (
              <button
                type="button"
                className="button-secondary button-danger-outline"
                disabled={busy}
                onClick={() => setMode('cancel')}
              >
                Cancel appointment
              </button>
            )}
          </div>
        )}
        {mode === 'cancel' && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!reason.trim()) return setError('Give a reason for the cancellation.');
              void run(
                () =>
                  changeAppointmentStatus(auth, appointment.id, 'cancel', {
                    version: appointment.version,
                    reason: reason.trim(),
                  }),
                'Cancelled',
              );
            }}
          >
            <div className="field">
              <label htmlFor={`${id}-reason`}>Reason for cancelling</label>
              <input
                id={`${id}-reason`}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                maxLength={500}
              />
            </div>
            <div className="calendar-buttons">
              <button type="submit" className="button-primary" disabled={busy}>
                Cancel the appointment
              </button>
              <button type="button" className="button-secondary" onClick={() => setMode('view')}>
                Keep it
              </button>
            </div>
          </form>
        )}
        {mode === 'move' && (
          <div>
            <p className="muted">
              Free times with {practitioner} in the next 14 days, on the clinic’s clock ({zone}).
            </p>
            {!slots && !error && <p>Finding free times…</p>}
            {slots && slots.length === 0 && (
              <p>No free times with {practitioner} in the next 14 days.</p>
            )}
            {selected && (
              <div className="calendar-buttons">
                <button
                  type="button"
                  className="button-primary"
                  disabled={busy}
                  onClick={() =>
                    void run(
                      () =>
                        rescheduleAppointment(auth, appointment.id, {
                          version: appointment.version,
                          start: selected.start,
                          practitionerId: selected.practitionerId,
                          roomId: selected.roomId,
                        }),
                      'Moved',
                    )
                  }
                >
                  Move to {clinicDateTime(selected.start, zone)}
                </button>
              </div>
            )}
            {slots && (
              <SlotList
                slots={slots}
                selected={selected}
                onSelect={setSelected}
                describe={(s) => rooms.find((r) => r.id === s.roomId)?.name ?? 'a room'}
              />
            )}
            <button type="button" className="button-secondary" onClick={() => setMode('view')}>
              Back
            </button>
          </div>
        )}
        {mode === 'estim' && (
          <SessionPlanEditor
            auth={auth}
            appointment={appointment}
            roomName={room}
            onBack={() => setMode('view')}
          />
        )}
        {mode === 'view' && (
          <details className="calendar-messages">
            <summary>Reminders and patient messages</summary>
            <AppointmentReminders
              token={auth.token}
              appointmentId={appointment.id}
              timeZone={zone}
            />
            <PatientMessages token={auth.token} patientId={appointment.patientId} timeZone={zone} />
          </details>
        )}
        <button type="button" className="button-secondary calendar-dialog-close" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
