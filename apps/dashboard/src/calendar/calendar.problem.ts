import { type Appointment } from '@tautline/domain';
import { ApiProblemError, describeProblem } from '../http/http.problem';
import { SchedulingProblemExtras } from './calendar.api';
import { clinicDateTime, clinicTime } from './calendar.time';

const WHO: Record<string, string> = {
  practitioner: 'The practitioner',
  room: 'The room',
  patient: 'The patient',
  availability: 'The practitioner is not working then, or',
};

export function extrasOf(error: unknown): SchedulingProblemExtras {
  if (!(error instanceof ApiProblemError)) return {};
  return SchedulingProblemExtras.safeParse(error.body).data ?? {};
}

export function isStaleVersion(error: unknown): boolean {
  return (
    error instanceof ApiProblemError &&
    error.status === 409 &&
    extrasOf(error).resource === 'version'
  );
}

/** The screening blocks of a 422, when that is what it was. */
export function screeningOf(
  error: unknown,
): NonNullable<SchedulingProblemExtras['screening']> | null {
  if (!(error instanceof ApiProblemError) || error.status !== 422) return null;
  return extrasOf(error).screening ?? null;
}

/**
 * Words for a failed booking or move. A clash names what clashes and when the other appointment
 * is, on the clinic's clock; `lookup` finds that appointment (cache or API), null when not visible.
 */
export async function explainSchedulingProblem(
  error: unknown,
  zone: string,
  lookup: (id: string) => Promise<Appointment | null>,
): Promise<string> {
  if (!(error instanceof ApiProblemError)) return describeProblem(error);
  const extras = extrasOf(error);
  if (error.status === 409 && extras.resource === 'version') {
    return 'Someone changed this appointment meanwhile. It has been reloaded: check it and try again.';
  }
  if (error.status === 409 && extras.resource && WHO[extras.resource]) {
    const who = WHO[extras.resource];
    let when = '';
    if (extras.conflictingAppointmentId) {
      const other = await lookup(extras.conflictingAppointmentId).catch(() => null);
      if (other)
        when = ` by another appointment, ${clinicDateTime(other.start, zone)}–${clinicTime(other.end, zone)}`;
    }
    return `${who} is already booked at that time${when}. Choose another time.`;
  }
  const screening = screeningOf(error);
  if (screening) {
    const list = screening.blocks.map(
      (b) =>
        `${b.label} (${b.severity === 'absolute' ? 'never' : 'needs an override'} for ${b.treatment.replace('_', ' ')})`,
    );
    return screening.needsOverride
      ? `Screening needs a clinician's override with a written reason: ${list.join('; ')}.`
      : `Screening does not allow this appointment: ${list.join('; ')}.`;
  }
  if (error.status === 404)
    return 'That appointment, patient or clinic could not be found. It may have been removed.';
  return describeProblem(error);
}
