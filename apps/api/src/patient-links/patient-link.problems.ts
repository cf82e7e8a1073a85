import { HttpStatus } from '@nestjs/common';
import { type AppointmentStatus, callTheClinic } from '@tautline/domain';
import { Problem } from '../common/problem';

/** One answer for a tampered, expired or malformed link and for an appointment that is gone. */
export function linkNotFound(): Problem {
  return new Problem(HttpStatus.NOT_FOUND, 'Not found', 'this link is not valid or has expired');
}

export type PatientAction = 'confirm' | 'cancel' | 'reschedule';

const STATUS_WORDS: Record<AppointmentStatus, string> = {
  booked: 'booked',
  confirmed: 'confirmed',
  checked_in: 'checked in',
  in_session: 'in progress',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show: 'marked as missed',
};

const ACTION_WORDS: Record<PatientAction, string> = {
  confirm: 'confirmed',
  cancel: 'cancelled',
  reschedule: 'moved',
};

/** 409: the appointment is no longer one a link can act on (final, under way or already started). */
export function notOpen(
  action: PatientAction,
  status: AppointmentStatus,
  started: boolean,
  phone: string | null,
): Problem {
  const why =
    status === 'booked' || status === 'confirmed'
      ? started
        ? 'This appointment has already started'
        : 'This appointment cannot be changed now'
      : `This appointment is ${STATUS_WORDS[status]}`;
  return new Problem(
    HttpStatus.CONFLICT,
    'Conflict',
    `${why}, so it can no longer be ${ACTION_WORDS[action]} online. ${callTheClinic(phone)}`,
    undefined,
    { resource: 'status', currentStatus: status },
  );
}

/** 409 after the clinic's late-cancel cut-off: the patient calls the clinic instead. */
export function pastCutoff(
  action: Exclude<PatientAction, 'confirm'>,
  lateCancelHours: number,
  cancelCutoff: string,
  phone: string | null,
): Problem {
  return new Problem(
    HttpStatus.CONFLICT,
    'Conflict',
    `It is less than ${lateCancelHours} hours before your appointment, so it can no longer be ${ACTION_WORDS[action]} online. ${callTheClinic(phone)}`,
    undefined,
    { resource: 'cancel_cutoff', cancelCutoff, clinicPhone: phone },
  );
}

/**
 * What the booking service says, in words for a patient. Its 422s name practitioners and
 * screening findings and its clashes name other appointments: none of that is shown through a
 * link. Anything missing behind the appointment is the link's 404. Other problems (grid 400,
 * stale version 409) pass unchanged.
 */
export function forPatient(error: unknown, phone: string | null): unknown {
  if (!(error instanceof Problem)) return error;
  const status = error.getStatus();
  if (status === HttpStatus.NOT_FOUND) return linkNotFound();
  if (status === HttpStatus.UNPROCESSABLE_ENTITY) {
    const detail = `That time cannot be booked online. Please choose another of the offered times. ${callTheClinic(phone)}`;
    return new Problem(status, 'Cannot book', detail, [{ field: 'body.start', message: detail }]);
  }
  const resource = error.extra?.resource;
  if (
    status === HttpStatus.CONFLICT &&
    (resource === 'practitioner' || resource === 'room' || resource === 'patient')
  ) {
    return new Problem(
      status,
      'Conflict',
      'That time is no longer free. Please choose another time.',
      undefined,
      { resource },
    );
  }
  return error;
}
