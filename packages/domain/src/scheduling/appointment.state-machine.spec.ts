import {
  APPOINTMENT_EVENTS,
  APPOINTMENT_STATUSES,
  OCCUPYING_APPOINTMENT_STATUSES,
  allowedEvents,
  isFinal,
  occupiesTime,
  transition,
  type AppointmentEvent,
  type AppointmentStatus,
} from './appointment.state-machine';

// The expected table, written out independently of the implementation: every legal move.
const LEGAL: Record<string, AppointmentStatus> = {
  'booked confirm': 'confirmed',
  'booked check_in': 'checked_in',
  'booked cancel': 'cancelled',
  'booked mark_no_show': 'no_show',
  'booked reschedule': 'booked',
  'confirmed check_in': 'checked_in',
  'confirmed cancel': 'cancelled',
  'confirmed mark_no_show': 'no_show',
  'confirmed reschedule': 'booked',
  'checked_in start_session': 'in_session',
  'checked_in cancel': 'cancelled',
  'in_session complete': 'completed',
};

const pairs = APPOINTMENT_STATUSES.flatMap((s) =>
  APPOINTMENT_EVENTS.map((e) => [s, e] as [AppointmentStatus, AppointmentEvent]),
);

describe('appointment state machine', () => {
  it.each(pairs)('%s + %s follows the table', (status, event) => {
    const result = transition(status, event);
    const expected = LEGAL[`${status} ${event}`];
    if (expected) {
      expect(result).toEqual({ ok: true, status: expected });
    } else {
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'illegal_transition',
          from: status,
          event,
          message: expect.stringContaining(`cannot ${event}`),
        },
      });
    }
  });

  it('has exactly the legal moves of the table', () => {
    expect(pairs.filter(([s, e]) => transition(s, e).ok)).toHaveLength(Object.keys(LEGAL).length);
  });

  it('treats completed, cancelled and no-show as final', () => {
    expect(APPOINTMENT_STATUSES.filter(isFinal)).toEqual(['completed', 'cancelled', 'no_show']);
    for (const status of ['completed', 'cancelled', 'no_show'] as const) {
      expect(allowedEvents(status)).toEqual([]);
      const result = transition(status, 'cancel');
      expect(!result.ok && result.error.message).toBe(
        `cannot cancel an appointment that is ${status} (${status} is final)`,
      );
    }
  });

  it('names what is allowed when a move is illegal', () => {
    const result = transition('checked_in', 'reschedule');
    expect(!result.ok && result.error.message).toBe(
      'cannot reschedule an appointment that is checked_in (allowed: start_session, cancel)',
    );
  });

  it('reschedules only booked or confirmed appointments, which go back to booked', () => {
    expect(APPOINTMENT_STATUSES.filter((s) => transition(s, 'reschedule').ok)).toEqual([
      'booked',
      'confirmed',
    ]);
  });

  it('frees time only when cancelled; a no-show keeps it', () => {
    expect(OCCUPYING_APPOINTMENT_STATUSES).toEqual([
      'booked',
      'confirmed',
      'checked_in',
      'in_session',
      'completed',
      'no_show',
    ]);
    expect(occupiesTime('cancelled')).toBe(false);
    expect(occupiesTime('no_show')).toBe(true);
  });
});
