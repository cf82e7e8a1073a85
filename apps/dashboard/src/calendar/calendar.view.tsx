import { type Appointment, type AppointmentTypeView, type Clinic } from '@tautline/domain';
import { useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useEffect, useId, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Calendar, luxonLocalizer, type EventProps } from 'react-big-calendar';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import { describeProblem, isUnauthorized } from '../http/http.problem';
import { type ViewProps } from '../shell/shell.view-props';
import { fetchAppointment } from './calendar.api';
import {
  upsertAppointment,
  useAppointments,
  useAuth,
  useLiveAppointments,
  usePatientNames,
  useResources,
} from './calendar.data';
import { AppointmentDetails, STATUS_WORDS } from './calendar.details';
import { SlotFinder } from './calendar.slot-finder';
import {
  clinicDateTime,
  clinicTime,
  clinicToday,
  shiftDate,
  toFloating,
  visibleRange,
  zoneLabel,
  type CalendarRange,
} from './calendar.time';
import './calendar.css';

/** The browser's clock, Monday first; every date handed to it is a "floating" clinic wall-clock date. */
const localizer = luxonLocalizer(DateTime, { firstDayOfWeek: 1 });

interface CalendarEvent {
  id: string;
  title: string;
  start: Date;
  end: Date;
  resourceId: string;
  appointment: Appointment;
  patient: string;
  type: AppointmentTypeView | undefined;
  zone: string;
  onOpen(id: string): void;
}

type Columns = 'rooms' | 'practitioners';

function AppointmentCard({ event }: EventProps<CalendarEvent>) {
  const { appointment: a, zone } = event;
  const time = `${clinicTime(a.start, zone)}–${clinicTime(a.end, zone)}`;
  return (
    <button
      type="button"
      className="calendar-card"
      data-testid="calendar-appointment"
      data-status={a.status}
      aria-label={`${event.patient}, ${event.type?.name ?? 'appointment'}, ${clinicDateTime(a.start, zone)}, ${STATUS_WORDS[a.status]}`}
      onClick={(e) => {
        e.stopPropagation();
        event.onOpen(a.id);
      }}
    >
      <time className="calendar-card-time" dateTime={a.start}>
        {time}
      </time>
      <span className="calendar-card-patient">{event.patient}</span>
      <span className="calendar-card-type">{event.type?.name ?? ''}</span>
      <span className="calendar-card-status">{STATUS_WORDS[a.status]}</span>
    </button>
  );
}

const formats = {
  timeGutterFormat: 'HH:mm',
  dayFormat: 'ccc d LLL',
  dayHeaderFormat: 'cccc d LLLL yyyy',
  eventTimeRangeFormat: ({ start, end }: { start: Date; end: Date }) =>
    `${DateTime.fromJSDate(start).toFormat('HH:mm')} – ${DateTime.fromJSDate(end).toFormat('HH:mm')}`,
};

/** The scheduler's calendar: one clinic, a day or a week, rooms or practitioners as columns, live. */
export function CalendarView({
  token,
  user,
  clinics,
  onUnauthorized,
}: ViewProps & { sessionId?: string | null }) {
  const id = useId();
  const auth = useAuth(token);
  const client = useQueryClient();
  const [clinicId, setClinicId] = useState<string | null>(clinics[0]?.id ?? null);
  const clinic: Clinic | undefined = clinics.find((c) => c.id === clinicId) ?? clinics[0];
  const zone = clinic?.timeZone ?? 'UTC';
  const [date, setDate] = useState(() => clinicToday(zone));
  const [range, setRange] = useState<CalendarRange>('week');
  const [columns, setColumns] = useState<Columns>('rooms');
  const [openId, setOpenId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const announceRef = useRef<HTMLParagraphElement>(null);
  const lastOpener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (clinic && clinic.id !== clinicId) setClinicId(clinic.id);
  }, [clinic, clinicId]);

  const { from, to } = visibleRange(date, range, zone);
  const fromIso = from.toUTC().toISO() ?? '';
  const toIso = to.toUTC().toISO() ?? '';
  const appointments = useAppointments(auth, clinic?.id ?? null, fromIso, toIso);
  const { rooms, practitioners, types } = useResources(auth, clinic?.id ?? null);
  useLiveAppointments();
  const names = usePatientNames(
    auth,
    (appointments.data ?? []).map((a) => a.patientId),
  );

  useEffect(() => {
    for (const error of [appointments.error, rooms.error, practitioners.error, types.error]) {
      if (isUnauthorized(error)) onUnauthorized();
    }
  }, [appointments.error, rooms.error, practitioners.error, types.error, onUnauthorized]);

  const typeById = useMemo(() => new Map((types.data ?? []).map((t) => [t.id, t])), [types.data]);
  const resources = useMemo(() => {
    if (!clinic) return [];
    if (columns === 'rooms') {
      return (rooms.data ?? []).filter((r) => r.active).map((r) => ({ id: r.id, title: r.name }));
    }
    return (practitioners.data ?? [])
      .filter((p) => p.active && p.clinicIds.includes(clinic.id))
      .map((p) => ({ id: p.id, title: p.name }));
  }, [clinic, columns, rooms.data, practitioners.data]);

  const open = (appointmentId: string) => {
    lastOpener.current = document.activeElement as HTMLElement | null;
    setOpenId(appointmentId);
  };
  const events: CalendarEvent[] = (appointments.data ?? []).map((a) => ({
    id: a.id,
    title: names.get(a.patientId) ?? 'Patient',
    start: toFloating(a.start, zone),
    end: toFloating(a.end, zone),
    resourceId: columns === 'rooms' ? a.roomId : a.practitionerId,
    appointment: a,
    patient: names.get(a.patientId) ?? 'Patient',
    type: typeById.get(a.appointmentTypeId),
    zone,
    onOpen: open,
  }));
  const opened = (appointments.data ?? []).find((a) => a.id === openId);

  const lookup = async (appointmentId: string): Promise<Appointment | null> => {
    try {
      const fresh = await fetchAppointment(auth, appointmentId);
      upsertAppointment(client, fresh);
      return fresh;
    } catch {
      return null;
    }
  };

  function announce(message: string) {
    setAnnouncement(message);
    setTimeout(() => announceRef.current?.focus(), 0);
  }

  if (!clinic) {
    return (
      <section aria-labelledby="view-heading">
        <h2 id="view-heading">Calendar</h2>
        <p>No clinic selected. Choose one under “Show clinics”.</p>
      </section>
    );
  }

  const floatingDate = toFloating(from.plus({ hours: 12 }).toJSDate(), zone);
  const title =
    range === 'day'
      ? from.setLocale('en-GB').toFormat('cccc d LLLL yyyy')
      : `${from.setLocale('en-GB').toFormat('d LLL')} – ${to.minus({ days: 1 }).setLocale('en-GB').toFormat('d LLL yyyy')}`;

  return (
    <section className="calendar" aria-labelledby="view-heading">
      <h2 id="view-heading">Calendar</h2>
      <div className="calendar-controls card">
        <div className="field">
          <label htmlFor={`${id}-clinic`}>Clinic</label>
          <select
            id={`${id}-clinic`}
            value={clinic.id}
            onChange={(e) => setClinicId(e.target.value)}
          >
            {clinics.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-date`}>Date</label>
          <input
            id={`${id}-date`}
            type="date"
            value={date}
            onChange={(e) => e.target.value && setDate(e.target.value)}
          />
        </div>
        <div className="calendar-buttons" role="group" aria-label="Move through the calendar">
          <button
            type="button"
            className="button-secondary"
            onClick={() => setDate((d) => shiftDate(d, range, -1))}
          >
            Previous {range}
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => setDate(clinicToday(zone))}
          >
            Today
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => setDate((d) => shiftDate(d, range, 1))}
          >
            Next {range}
          </button>
        </div>
        <fieldset className="calendar-toggle">
          <legend>Show</legend>
          {(['day', 'week'] as const).map((r) => (
            <label key={r} className="checkbox">
              <input
                type="radio"
                name={`${id}-range`}
                checked={range === r}
                onChange={() => setRange(r)}
              />
              {r === 'day' ? 'Day' : 'Week'}
            </label>
          ))}
        </fieldset>
        <fieldset className="calendar-toggle">
          <legend>Columns</legend>
          {(['rooms', 'practitioners'] as const).map((c) => (
            <label key={c} className="checkbox">
              <input
                type="radio"
                name={`${id}-columns`}
                checked={columns === c}
                onChange={() => setColumns(c)}
              />
              {c === 'rooms' ? 'Rooms' : 'Practitioners'}
            </label>
          ))}
        </fieldset>
      </div>

      <p className="calendar-title">
        <strong>
          {clinic.name} · {title}
        </strong>{' '}
        <span className="calendar-zone" data-testid="calendar-zone">
          {zoneLabel(zone, from, to)}
        </span>
      </p>
      <p
        ref={announceRef}
        tabIndex={-1}
        className="calendar-announce"
        role="status"
        aria-live="polite"
      >
        {announcement}
      </p>
      {appointments.isPending && <p role="status">Loading appointments…</p>}
      {appointments.isError && !isUnauthorized(appointments.error) && (
        <p className="banner banner-error" role="alert">
          Could not load the appointments. {describeProblem(appointments.error)}
        </p>
      )}

      <div className="calendar-grid" data-testid="calendar-grid">
        <Calendar<CalendarEvent, { id: string; title: string }>
          localizer={localizer}
          events={events}
          date={floatingDate}
          view={range}
          views={['day', 'week']}
          onView={() => undefined}
          onNavigate={() => undefined}
          toolbar={false}
          resources={resources}
          resourceIdAccessor="id"
          resourceTitleAccessor="title"
          resourceAccessor="resourceId"
          min={new Date(1970, 0, 1, 7, 0)}
          max={new Date(1970, 0, 1, 20, 0)}
          step={15}
          timeslots={2}
          formats={formats}
          components={{ event: AppointmentCard }}
          eventPropGetter={(event) => ({
            className: `calendar-event calendar-status-${event.appointment.status}`,
            style: { '--type-colour': event.type?.colour ?? '#1f4e5f' } as CSSProperties,
          })}
          style={{ minHeight: 640 }}
        />
      </div>

      <SlotFinder
        key={clinic.id}
        auth={auth}
        role={user.role}
        clinics={clinics}
        defaultClinicId={clinic.id}
        types={types.data ?? []}
        practitioners={practitioners.data ?? []}
        rooms={rooms.data ?? []}
        lookup={lookup}
        onBooked={(a) => {
          upsertAppointment(client, a);
          const bookedZone = clinics.find((c) => c.id === a.clinicId)?.timeZone ?? zone;
          setClinicId(a.clinicId);
          setDate(DateTime.fromISO(a.start, { zone: bookedZone }).toISODate() ?? date);
          announce(`Booked: ${clinicDateTime(a.start, bookedZone)}.`);
        }}
      />

      {opened && (
        <AppointmentDetails
          auth={auth}
          appointment={opened}
          zone={zone}
          patient={names.get(opened.patientId) ?? 'Patient'}
          type={typeById.get(opened.appointmentTypeId)}
          practitioners={practitioners.data ?? []}
          rooms={rooms.data ?? []}
          role={user.role}
          lookup={lookup}
          onChanged={(a, message) => {
            upsertAppointment(client, a);
            setAnnouncement(message);
          }}
          onClose={() => {
            setOpenId(null);
            lastOpener.current?.focus();
          }}
        />
      )}
    </section>
  );
}
