import { HttpStatus } from '@nestjs/common';
import { type ScreeningBlock } from '@tautline/domain';
import { Problem } from '../common/problem';

export type ClashingResource = 'practitioner' | 'room' | 'patient';

/** 409 naming what is double-booked and by which appointment, for people and for the dashboard. */
export function conflictProblem(
  resource: ClashingResource,
  conflictingAppointmentId: string | null,
): Problem {
  const who = { practitioner: 'The practitioner', room: 'The room', patient: 'The patient' }[
    resource
  ];
  return new Problem(
    HttpStatus.CONFLICT,
    'Conflict',
    `${who} is already booked at that time${conflictingAppointmentId ? ` (appointment ${conflictingAppointmentId})` : ''}`,
    undefined,
    { resource, conflictingAppointmentId },
  );
}

/** 422: the request is well-formed but the clinic's rules do not allow it. */
export function unbookable(
  field: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  return new Problem(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'Cannot book',
    detail,
    [{ field, message: detail }],
    extra,
  );
}

export function screeningProblem(blocks: ScreeningBlock[], needsOverride: boolean): Problem {
  const list = blocks
    .map((b) => `${b.label} (${b.severity}, ${b.treatment.replace('_', ' ')})`)
    .join('; ');
  return unbookable(
    'body.patientId',
    needsOverride
      ? `screening needs a practitioner override with a written reason: ${list}`
      : `screening blocks this appointment: ${list}`,
    { screening: { blocks, needsOverride } },
  );
}

export function staleVersion(current: number): Problem {
  return new Problem(
    HttpStatus.CONFLICT,
    'Conflict',
    `the appointment was changed by someone else (now version ${current}); reload and try again`,
    undefined,
    { resource: 'version', currentVersion: current },
  );
}
