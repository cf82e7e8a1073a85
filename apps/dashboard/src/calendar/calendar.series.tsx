import {
  SeriesRequest,
  SeriesResult,
  type Appointment,
  type CreateAppointmentRequest,
} from '@tautline/domain';
import { useEffect, useId, useRef, useState } from 'react';
import { bookSeries, newIdempotencyKey, type Auth } from './calendar.api';
import { ApiProblemError } from '../http/http.problem';
import { explainSchedulingProblem } from './calendar.problem';
import { clinicDateTime, clinicTime } from './calendar.time';

type Mode = SeriesRequest['mode'];
type Occurrence = SeriesResult['occurrences'][number];
type Conflict = Extract<Occurrence, { outcome: 'conflict' }>;

const WHO: Record<Conflict['resource'], string> = {
  practitioner: 'the practitioner is already booked then',
  room: 'the room is already booked then',
  patient: 'the patient already has an appointment then',
  availability: 'the practitioner is not working then',
  screening: 'screening does not allow it',
};

export interface OutcomeLine {
  start: string;
  booked: boolean;
  text: string;
}

/** One line per occurrence on the clinic's clock: "Booked" or why not, naming the clashing appointment. */
export async function describeOccurrences(
  occurrences: readonly Occurrence[],
  zone: string,
  lookup: (id: string) => Promise<Appointment | null>,
): Promise<OutcomeLine[]> {
  return Promise.all(
    occurrences.map(async (o) => {
      const when = clinicDateTime(o.start, zone);
      if (o.outcome === 'booked') return { start: o.start, booked: true, text: `${when}: booked.` };
      let other = '';
      if (o.conflictingAppointmentId) {
        const a = await lookup(o.conflictingAppointmentId).catch(() => null);
        if (a)
          other = ` (another appointment, ${clinicTime(a.start, zone)}–${clinicTime(a.end, zone)})`;
      }
      const detail = o.detail.trim() ? ` ${o.detail.trim().replace(/\.?$/, '.')}` : '';
      return {
        start: o.start,
        booked: false,
        text: `${when}: not booked — ${WHO[o.resource]}${other}.${detail}`,
      };
    }),
  );
}

interface SeriesBookingProps {
  auth: Auth;
  /** The single booking the slot finder would make; the series starts with it. */
  request: CreateAppointmentRequest;
  zone: string;
  repeat: boolean;
  onRepeatChange(repeat: boolean): void;
  lookup(id: string): Promise<Appointment | null>;
  onBooked(booked: Appointment[]): void;
  disabled?: boolean;
}

/** "Repeat weekly": occurrences, every N weeks, mode → POST /appointments/series → one line per occurrence. */
export function SeriesBooking({
  auth,
  request,
  zone,
  repeat,
  onRepeatChange,
  lookup,
  onBooked,
  disabled,
}: SeriesBookingProps) {
  const id = useId();
  const [occurrences, setOccurrences] = useState('4');
  const [everyWeeks, setEveryWeeks] = useState('1');
  const [mode, setMode] = useState<Mode>('all_or_nothing');
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [lines, setLines] = useState<OutcomeLine[] | null>(null);
  const [pending, setPending] = useState(false);
  const resultRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (lines || error) resultRef.current?.focus();
  }, [lines, error]);

  async function book() {
    const parsed = SeriesRequest.safeParse({
      ...request,
      occurrences: Number(occurrences),
      everyWeeks: Number(everyWeeks),
      mode,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues.find((i) => i.path[0] === 'occurrences');
      setFieldError(
        issue
          ? 'Give a whole number of appointments from 2 to 52.'
          : (parsed.error.issues[0]?.message ?? 'Check the series.'),
      );
      return;
    }
    setFieldError(null);
    setError(null);
    setLines(null);
    setPending(true);
    try {
      const result = await bookSeries(auth, parsed.data, newIdempotencyKey());
      const described = await describeOccurrences(result.occurrences, zone, lookup);
      setLines(described);
      const booked = result.occurrences.flatMap((o) =>
        o.outcome === 'booked' ? [o.appointment] : [],
      );
      if (booked.length > 0) onBooked(booked);
    } catch (e) {
      // All or nothing and nothing booked: the 409 problem still lists every occurrence's outcome.
      const refused =
        e instanceof ApiProblemError && e.status === 409 ? SeriesResult.safeParse(e.body) : null;
      if (refused?.success)
        setLines(await describeOccurrences(refused.data.occurrences, zone, lookup));
      else setError(await explainSchedulingProblem(e, zone, lookup));
    } finally {
      setPending(false);
    }
  }

  const bookedCount = lines?.filter((l) => l.booked).length ?? 0;
  const heading = lines
    ? bookedCount === 0
      ? `Nothing booked: ${lines.length - bookedCount} of ${lines.length} appointments conflict.`
      : `${bookedCount} of ${lines.length} appointments booked${bookedCount < lines.length ? `, ${lines.length - bookedCount} not booked` : ''}.`
    : 'Could not book the series.';

  return (
    <div className="calendar-series">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={repeat}
          onChange={(e) => onRepeatChange(e.target.checked)}
        />
        Repeat weekly
      </label>
      {repeat && (
        <fieldset>
          <legend>Series</legend>
          <div className="field">
            <label htmlFor={`${id}-n`}>Number of appointments (2–52)</label>
            <input
              id={`${id}-n`}
              type="number"
              min={2}
              max={52}
              value={occurrences}
              onChange={(e) => setOccurrences(e.target.value)}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${id}-n-error` : undefined}
            />
            {fieldError && (
              <p id={`${id}-n-error`} className="field-error">
                {fieldError}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${id}-every`}>Every</label>
            <select
              id={`${id}-every`}
              value={everyWeeks}
              onChange={(e) => setEveryWeeks(e.target.value)}
            >
              {[1, 2, 3, 4].map((n) => (
                <option key={n} value={String(n)}>
                  {n === 1 ? 'week' : `${n} weeks`}
                </option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend>If a week conflicts</legend>
            <label className="checkbox">
              <input
                type="radio"
                name={`${id}-mode`}
                checked={mode === 'all_or_nothing'}
                onChange={() => setMode('all_or_nothing')}
              />
              Book none of them
            </label>
            <label className="checkbox">
              <input
                type="radio"
                name={`${id}-mode`}
                checked={mode === 'book_what_fits'}
                onChange={() => setMode('book_what_fits')}
              />
              Book the ones that fit
            </label>
          </fieldset>
          <button
            type="button"
            className="button-primary"
            disabled={pending || disabled}
            onClick={() => void book()}
          >
            {pending ? 'Booking…' : 'Book series'}
          </button>
        </fieldset>
      )}
      <div aria-live="polite" className="calendar-series-results">
        {(lines || error) && (
          <h5 ref={resultRef} tabIndex={-1}>
            {heading}
          </h5>
        )}
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
        {lines && (
          <ul aria-label="Series outcome">
            {lines.map((l) => (
              <li key={l.start} data-outcome={l.booked ? 'booked' : 'conflict'}>
                {l.text}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
