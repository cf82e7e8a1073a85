import { type Alert, channelPlan, muscleByCode, type SessionPlan } from '@tautline/domain';

export interface EscalationFacts {
  alert: Alert;
  clinicName: string;
  clinicZone: string;
  roomName: string;
  plan: SessionPlan;
  escalateAfterSeconds: number;
  publicUrl: string;
}

export interface RenderedEscalation {
  subject: string;
  body: string;
}

function localTime(iso: string, zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      dateStyle: 'medium',
      timeStyle: 'medium',
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function muscleText(alert: Alert, plan: SessionPlan): string {
  const planned = alert.channel === null ? undefined : channelPlan(plan, alert.channel);
  const code = planned?.muscle ?? alert.muscle;
  if (!code) return '–';
  const name = muscleByCode(code).name;
  return planned ? `${name} (${planned.side})` : name;
}

/**
 * The email to a clinic's lead about a critical alert nobody acknowledged: clinic, room, channel,
 * muscle and the alert's own words. Staff-facing, and still without patient names: it may be read
 * on a phone in a corridor.
 */
export function renderEscalation(f: EscalationFacts): RenderedEscalation {
  const { alert } = f;
  const subject = `Unacknowledged critical alert: ${f.roomName}, ${f.clinicName}`.slice(0, 300);
  const body = [
    `A critical alert in ${f.clinicName} has not been acknowledged within ${f.escalateAfterSeconds} s.`,
    '',
    `Clinic: ${f.clinicName}`,
    `Room: ${f.roomName}`,
    `Channel: ${alert.channel === null ? 'whole device' : String(alert.channel)}`,
    `Muscle: ${muscleText(alert, f.plan)}`,
    `Alert: ${alert.message}`,
    `State: ${alert.status === 'latched' ? 'condition cleared, not acknowledged' : 'condition present'}`,
    `Raised: ${localTime(alert.raisedAt, f.clinicZone)}`,
    '',
    `Acknowledge it on the live board: ${f.publicUrl}`,
    '',
    'Tautline',
  ].join('\n');
  return { subject, body: body.slice(0, 2000) };
}
