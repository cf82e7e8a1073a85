import {
  can,
  MAX_SLOT_SEARCH_DAYS,
  type Appointment,
  type AppointmentTypeView,
  type Clinic,
  type PatientView,
  type PractitionerView,
  type Role,
  type Room,
} from '@tautline/domain';
import { DateTime } from 'luxon';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { PatientCreateForm } from '../patients/patients.create';
import { patientName } from '../patients/patients.api';
import { PatientPicker } from '../patients/patients.picker';
import { PatientScreeningPanel } from '../patients/patients.screening';
import { bookAppointment, newIdempotencyKey, type Auth } from './calendar.api';
import { explainSchedulingProblem, screeningOf } from './calendar.problem';
import { SeriesBooking } from './calendar.series';
import { fetchSlotPages, type MoreSlots } from './calendar.slot-pages';
import { SlotList, type ClinicSlot } from './calendar.slots';
import { clinicDateTime, clinicToday, shiftDate } from './calendar.time';

interface SlotFinderProps {
  auth: Auth;
  role: Role;
  clinics: readonly Clinic[];
  defaultClinicId: string;
  types: readonly AppointmentTypeView[];
  practitioners: readonly PractitionerView[];
  rooms: readonly Room[];
  lookup(id: string): Promise<Appointment | null>;
  onBooked(appointment: Appointment): void;
}

const OVERRIDE_MIN = 10;

/** Patient, type, clinic(s), dates and an optional practitioner → free times → pick → book. */
export function SlotFinder({
  auth,
  role,
  clinics,
  defaultClinicId,
  types,
  practitioners,
  rooms,
  lookup,
  onBooked,
}: SlotFinderProps) {
  const id = useId();
  const zoneOf = (clinicId: string) => clinics.find((c) => c.id === clinicId)?.timeZone ?? 'UTC';
  const [patient, setPatient] = useState<PatientView | null>(null);
  const [creating, setCreating] = useState(false);
  const [typeId, setTypeId] = useState('');
  const [clinicIds, setClinicIds] = useState<string[]>([defaultClinicId]);
  const [fromDate, setFromDate] = useState(() => clinicToday(zoneOf(defaultClinicId)));
  const [toDate, setToDate] = useState(() =>
    shiftDate(clinicToday(zoneOf(defaultClinicId)), 'week', 1),
  );
  const [practitionerId, setPractitionerId] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const [slots, setSlots] = useState<ClinicSlot[] | null>(null);
  const [more, setMore] = useState<MoreSlots[]>([]);
  const [selected, setSelected] = useState<ClinicSlot | null>(null);
  const [booking, setBooking] = useState(false);
  const [bookError, setBookError] = useState<string | null>(null);
  const [needsOverride, setNeedsOverride] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const [overrideError, setOverrideError] = useState<string | null>(null);
  const [repeat, setRepeat] = useState(false);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const resultsRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!typeId && types[0]) setTypeId(types.find((t) => t.active)?.id ?? types[0].id);
  }, [types, typeId]);
  useEffect(() => {
    if (selected) confirmRef.current?.focus();
  }, [selected]);

  const type = types.find((t) => t.id === typeId);
  const practitionerName = (pid: string) =>
    practitioners.find((p) => p.id === pid)?.name ?? 'A practitioner';
  const roomName = (rid: string) => rooms.find((r) => r.id === rid)?.name ?? 'a room';
  const clinicName = (cid: string) => clinics.find((c) => c.id === cid)?.name ?? 'Clinic';
  const offered = practitioners.filter(
    (p) => p.active && p.clinicIds.some((c) => clinicIds.includes(c)),
  );

  async function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSelected(null);
    setBookError(null);
    if (!patient) return setFormError('Choose a patient first.');
    if (!type) return setFormError('Choose an appointment type.');
    if (clinicIds.length === 0) return setFormError('Choose at least one clinic.');
    const days = DateTime.fromISO(toDate).diff(DateTime.fromISO(fromDate), 'days').days + 1;
    if (!(days >= 1)) return setFormError('The last day must be on or after the first.');
    if (days > MAX_SLOT_SEARCH_DAYS)
      return setFormError(`Search at most ${MAX_SLOT_SEARCH_DAYS} days at a time.`);
    setFormError(null);
    setSearching(true);
    try {
      const searches = clinicIds.map((clinicId) => {
        const zone = zoneOf(clinicId);
        const from = DateTime.fromISO(fromDate, { zone }).startOf('day');
        const start = DateTime.max(from, DateTime.now().setZone(zone));
        return {
          clinicId,
          appointmentTypeId: type.id,
          from: start.toUTC().toISO() ?? '',
          to:
            DateTime.fromISO(toDate, { zone }).plus({ days: 1 }).startOf('day').toUTC().toISO() ??
            '',
          patientId: patient.id,
          ...(practitionerId ? { practitionerId } : {}),
        };
      });
      const found = await fetchSlotPages(auth, searches);
      setSlots(found.slots);
      setMore(found.more);
      resultsRef.current?.focus();
    } catch (error) {
      setSlots(null);
      setMore([]);
      setFormError(
        await explainSchedulingProblem(error, zoneOf(clinicIds[0] ?? defaultClinicId), lookup),
      );
    } finally {
      setSearching(false);
    }
  }

  /** The next page of every clinic that has more; appended to the list. */
  async function showLater() {
    setSearching(true);
    try {
      const found = await fetchSlotPages(auth, more);
      setSlots((current) => [...(current ?? []), ...found.slots]);
      setMore(found.more);
    } catch (error) {
      setFormError(
        await explainSchedulingProblem(error, zoneOf(clinicIds[0] ?? defaultClinicId), lookup),
      );
    } finally {
      setSearching(false);
    }
  }

  async function book(withOverride: boolean) {
    if (!selected || !patient || !type) return;
    if (withOverride && overrideReason.trim().length < OVERRIDE_MIN) {
      setOverrideError(`Give the clinical reason (${OVERRIDE_MIN} characters or more).`);
      return;
    }
    setOverrideError(null);
    setBooking(true);
    setBookError(null);
    try {
      const appointment = await bookAppointment(
        auth,
        {
          clinicId: selected.clinicId,
          patientId: patient.id,
          practitionerId: selected.practitionerId,
          roomId: selected.roomId,
          appointmentTypeId: type.id,
          start: selected.start,
          ...(withOverride ? { screeningOverride: { reason: overrideReason.trim() } } : {}),
        },
        // One key per attempt: a retry of the same attempt replays, a new attempt books anew.
        newIdempotencyKey(),
      );
      setSlots(
        (list) =>
          list?.filter(
            (s) => !(s.start === selected.start && s.practitionerId === selected.practitionerId),
          ) ?? null,
      );
      setSelected(null);
      setNeedsOverride(false);
      setOverrideReason('');
      onBooked(appointment);
    } catch (error) {
      const screening = screeningOf(error);
      setNeedsOverride(Boolean(screening?.needsOverride));
      setBookError(await explainSchedulingProblem(error, selected.timeZone, lookup));
    } finally {
      setBooking(false);
    }
  }

  const describe = (s: ClinicSlot) =>
    `${practitionerName(s.practitionerId)}, ${roomName(s.roomId)}`;
  const mayOverride = can(role, 'screening.override');

  return (
    <section className="calendar-finder card" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Find a free time</h3>
      <PatientPicker auth={auth} selected={patient} onSelect={setPatient} />
      {patient && (
        <PatientScreeningPanel
          key={patient.id}
          auth={auth}
          patientId={patient.id}
          canWrite={can(role, 'patient.write')}
        />
      )}
      {!patient && !creating && can(role, 'patient.write') && (
        <button type="button" className="button-secondary" onClick={() => setCreating(true)}>
          New patient
        </button>
      )}
      {creating && (
        <PatientCreateForm
          auth={auth}
          clinics={clinics}
          onCreated={(p) => {
            setPatient(p);
            setCreating(false);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <form onSubmit={(e) => void search(e)} noValidate className="calendar-finder-form">
        <div className="field">
          <label htmlFor={`${id}-type`}>Appointment type</label>
          <select id={`${id}-type`} value={typeId} onChange={(e) => setTypeId(e.target.value)}>
            {types
              .filter((t) => t.active)
              .map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
          </select>
        </div>
        <fieldset>
          <legend>Clinics</legend>
          {clinics.map((c) => (
            <label key={c.id} className="checkbox">
              <input
                type="checkbox"
                checked={clinicIds.includes(c.id)}
                onChange={(e) =>
                  setClinicIds((ids) =>
                    e.target.checked ? [...ids, c.id] : ids.filter((x) => x !== c.id),
                  )
                }
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <div className="calendar-finder-dates">
          <div className="field">
            <label htmlFor={`${id}-from`}>From (clinic date)</label>
            <input
              id={`${id}-from`}
              type="date"
              value={fromDate}
              onChange={(e) => setFromDate(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To (clinic date)</label>
            <input
              id={`${id}-to`}
              type="date"
              value={toDate}
              onChange={(e) => setToDate(e.target.value)}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-practitioner`}>Practitioner (optional)</label>
          <select
            id={`${id}-practitioner`}
            value={practitionerId}
            onChange={(e) => setPractitionerId(e.target.value)}
          >
            <option value="">Anyone suitable</option>
            {offered.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        {formError && (
          <p className="field-error" role="alert">
            {formError}
          </p>
        )}
        <button type="submit" className="button-primary" disabled={searching}>
          {searching ? 'Searching…' : 'Find free times'}
        </button>
      </form>

      <div aria-live="polite" className="calendar-finder-results">
        {slots && (
          <h4 ref={resultsRef} tabIndex={-1}>
            {slots.length === 0
              ? 'No free times in those days.'
              : `${slots.length} free times${more.length > 0 ? ' (the earliest; more follow)' : ''}`}
          </h4>
        )}
        {slots && more.length > 0 && (
          <button
            type="button"
            className="button-secondary"
            disabled={searching}
            onClick={() => void showLater()}
          >
            {searching ? 'Searching…' : 'Show later times'}
          </button>
        )}
      </div>
      {selected && patient && type && (
        <div className="calendar-confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <h4 id={`${id}-confirm`} ref={confirmRef} tabIndex={-1}>
            Book {patientName(patient)}: {type.name},{' '}
            {clinicDateTime(selected.start, selected.timeZone)}, {describe(selected)}
            {clinicIds.length > 1 ? ` at ${clinicName(selected.clinicId)}` : ''}?
          </h4>
          {bookError && (
            <p className="banner banner-error" role="alert">
              {bookError}
            </p>
          )}
          {needsOverride && mayOverride && (
            <div className="field">
              <label htmlFor={`${id}-override`}>
                Override reason (clinical, {OVERRIDE_MIN} characters or more)
              </label>
              <textarea
                id={`${id}-override`}
                value={overrideReason}
                onChange={(e) => setOverrideReason(e.target.value)}
                aria-invalid={overrideError ? true : undefined}
                aria-describedby={overrideError ? `${id}-override-error` : undefined}
              />
              {overrideError && (
                <p id={`${id}-override-error`} className="field-error">
                  {overrideError}
                </p>
              )}
            </div>
          )}
          {needsOverride && !mayOverride && (
            <p>Ask a practitioner or supervisor to book this with an override.</p>
          )}
          <SeriesBooking
            key={`${selected.clinicId}|${selected.start}|${selected.practitionerId}`}
            auth={auth}
            request={{
              clinicId: selected.clinicId,
              patientId: patient.id,
              practitionerId: selected.practitionerId,
              roomId: selected.roomId,
              appointmentTypeId: type.id,
              start: selected.start,
              ...(needsOverride && mayOverride && overrideReason.trim().length >= OVERRIDE_MIN
                ? { screeningOverride: { reason: overrideReason.trim() } }
                : {}),
            }}
            zone={selected.timeZone}
            repeat={repeat}
            onRepeatChange={setRepeat}
            lookup={lookup}
            disabled={booking}
            onBooked={(booked) => {
              setSlots(
                (list) =>
                  list?.filter(
                    (s) =>
                      !booked.some(
                        (a) => a.start === s.start && a.practitionerId === s.practitionerId,
                      ),
                  ) ?? null,
              );
              if (booked[0]) onBooked(booked[0]);
            }}
          />
          <div className="calendar-buttons">
            {repeat ? null : needsOverride && mayOverride ? (
              <button
                type="button"
                className="button-primary"
                disabled={booking}
                onClick={() => void book(true)}
              >
                {booking ? 'Booking…' : 'Book with override'}
              </button>
            ) : (
              <button
                type="button"
                className="button-primary"
                disabled={booking || needsOverride}
                onClick={() => void book(false)}
              >
                {booking ? 'Booking…' : 'Book'}
              </button>
            )}
            <button type="button" className="button-secondary" onClick={() => setSelected(null)}>
              Choose another time
            </button>
          </div>
        </div>
      )}
      {slots && slots.length > 0 && (
        <SlotList
          slots={slots}
          selected={selected}
          onSelect={(s) => {
            setSelected(s);
            setBookError(null);
            setNeedsOverride(false);
          }}
          describe={describe}
          clinicName={clinicIds.length > 1 ? clinicName : undefined}
        />
      )}
    </section>
  );
}
