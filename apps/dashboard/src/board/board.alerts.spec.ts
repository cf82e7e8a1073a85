import { type Alert } from '@tautline/domain';
import { ageWords, alertStatusWords, durationWords, mergeAlert, orderAlerts } from './board.alerts';

const base: Alert = {
  id: '00000000-0000-4000-8000-000000000000',
  sessionId: '10000000-0000-4000-8000-000000000000',
  clinicId: '20000000-0000-4000-8000-000000000000',
  roomId: '30000000-0000-4000-8000-000000000000',
  kind: 'intensity_over_ceiling',
  severity: 'critical',
  channel: 1,
  muscle: 'upper_trapezius',
  side: 'left',
  message: 'Room 1 · channel 1 (left upper trapezius): 15 mA is above the planned ceiling of 12 mA',
  value: 15,
  limit: 12,
  clinicName: 'London Bridge',
  roomName: 'Room 1',
  patientInitials: 'O.B.',
  status: 'open',
  raisedAt: '2030-01-01T10:00:00.000Z',
  clearedAt: null,
  resolvedAt: null,
  occurrences: 1,
  realertedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  acknowledgedByName: null,
  acknowledgementNote: null,
  escalatedAt: null,
};
const alert = (id: string, patch: Partial<Alert>): Alert => ({
  ...base,
  id: `${id}0000000-0000-4000-8000-000000000000`,
  ...patch,
});

describe('orderAlerts', () => {
  it('puts critical above warning and the newest first within a severity', () => {
    const oldWarning = alert('1', { severity: 'warning', raisedAt: '2030-01-01T10:00:00.000Z' });
    const newWarning = alert('2', { severity: 'warning', raisedAt: '2030-01-01T10:05:00.000Z' });
    const oldCritical = alert('3', { raisedAt: '2030-01-01T09:00:00.000Z' });
    const newCritical = alert('4', { raisedAt: '2030-01-01T10:01:00.000Z' });
    const ordered = orderAlerts([oldWarning, newWarning, oldCritical, newCritical]);
    expect(ordered.map((a) => a.id[0])).toEqual(['4', '3', '2', '1']);
  });

  it('puts sounding alerts (open and latched) first, then acknowledged, then resolved', () => {
    const acknowledged = alert('1', {
      status: 'acknowledged',
      raisedAt: '2030-01-01T10:09:00.000Z',
    });
    const resolvedCritical = alert('2', {
      status: 'resolved',
      raisedAt: '2030-01-01T10:10:00.000Z',
    });
    const openWarning = alert('3', { severity: 'warning', raisedAt: '2030-01-01T08:00:00.000Z' });
    const latchedCritical = alert('4', { status: 'latched', raisedAt: '2030-01-01T10:00:00.000Z' });
    expect(
      orderAlerts([resolvedCritical, openWarning, latchedCritical, acknowledged]).map(
        (a) => a.id[0],
      ),
    ).toEqual(['4', '3', '1', '2']);
  });

  it('is stable on equal times (id order) and does not touch its input', () => {
    const a = alert('a', {});
    const b = alert('b', {});
    const input = [b, a];
    expect(orderAlerts(input).map((x) => x.id[0])).toEqual(['a', 'b']);
    expect(input.map((x) => x.id[0])).toEqual(['b', 'a']);
  });
});

describe('mergeAlert', () => {
  it('never moves an alert backwards and keeps escalation once set', () => {
    const acknowledged = alert('1', {
      status: 'acknowledged',
      acknowledgedAt: '2030-01-01T10:01:00.000Z',
    });
    const staleOpen = alert('1', { status: 'open', escalatedAt: '2030-01-01T10:02:00.000Z' });
    const merged = mergeAlert(acknowledged, staleOpen);
    expect(merged.status).toBe('acknowledged');
    expect(merged.escalatedAt).toBe('2030-01-01T10:02:00.000Z');
    expect(mergeAlert(merged, alert('1', { status: 'resolved' })).status).toBe('resolved');
  });

  it('takes open after acknowledged when it re-alerted, and open after latched when it recurred', () => {
    const acknowledged = alert('1', {
      status: 'acknowledged',
      acknowledgedAt: '2030-01-01T10:01:00.000Z',
    });
    const realerted = alert('1', { status: 'open', realertedAt: '2030-01-01T10:04:00.000Z' });
    expect(mergeAlert(acknowledged, realerted).status).toBe('open');
    // The acknowledgement that re-alert replaced, arriving late, does not silence it again.
    expect(mergeAlert(mergeAlert(acknowledged, realerted), acknowledged).status).toBe('open');

    const latched = alert('1', { status: 'latched', clearedAt: '2030-01-01T10:00:05.000Z' });
    expect(mergeAlert(latched, alert('1', { status: 'open' })).status).toBe('latched');
    expect(mergeAlert(latched, alert('1', { status: 'open', occurrences: 2 })).status).toBe('open');
  });
});

describe('words', () => {
  it('says the status, latching, dismissable clears and escalation, and the age', () => {
    expect(alertStatusWords(alert('1', { escalatedAt: '2030-01-01T10:02:00.000Z' }))).toBe(
      'Open · escalated',
    );
    expect(alertStatusWords(alert('1', { status: 'acknowledged' }))).toBe('Acknowledged');
    expect(alertStatusWords(alert('1', { status: 'latched' }))).toBe('Cleared — not acknowledged');
    expect(alertStatusWords(alert('1', { status: 'resolved', severity: 'warning' }))).toBe(
      'Cleared',
    );
    expect(
      alertStatusWords(
        alert('1', { status: 'resolved', acknowledgedAt: '2030-01-01T10:01:00.000Z' }),
      ),
    ).toBe('Resolved');
    expect(alertStatusWords(alert('1', { realertedAt: '2030-01-01T10:04:00.000Z' }))).toBe(
      'Sounding again',
    );
    const now = Date.parse('2030-01-01T10:00:00.000Z');
    expect(ageWords('2030-01-01T09:59:48.000Z', now)).toBe('12 s');
    expect(ageWords('2030-01-01T09:56:00.000Z', now)).toBe('4 min');
    expect(ageWords('2030-01-01T07:55:00.000Z', now)).toBe('2 h 5 min');
    expect(durationWords(3_400)).toBe('3 s');
    expect(durationWords(125_000)).toBe('2 min');
  });
});
