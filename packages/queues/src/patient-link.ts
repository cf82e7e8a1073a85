import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a patient's self-service link grants: one appointment, until `exp`. */
export interface PatientLinkClaims {
  /** The appointment. */
  appointmentId: string;
  /** Unix seconds. */
  exp: number;
}

const PURPOSE = 'patient-appointment-link';
const TOKEN = /^([A-Za-z0-9_-]{10,200})\.([A-Za-z0-9_-]{43})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Signed, expiring, single-purpose patient links (`<claims>.<sig>`, base64url, HMAC-SHA256).
 * The key is derived from JWT_SECRET with its own label, so a link can never stand in for a
 * user token or a calendar-feed signature; rotating JWT_SECRET revokes every link. The worker
 * signs links into reminders, the API checks them. Pure: the clock is passed in.
 */
export class PatientLinkSigner {
  private readonly key: Buffer;

  constructor(jwtSecret: string) {
    this.key = createHmac('sha256', jwtSecret).update(PURPOSE).digest();
  }

  sign(claims: PatientLinkClaims): string {
    const body = Buffer.from(`${claims.appointmentId}.${claims.exp}`).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a well-formed, authentic, unexpired token; otherwise null (one answer for all). */
  verify(token: unknown, now: Date): PatientLinkClaims | null {
    if (typeof token !== 'string') return null;
    const match = TOKEN.exec(token);
    if (!match) return null;
    const [, body = '', sig = ''] = match;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const [appointmentId = '', exp = ''] = Buffer.from(body, 'base64url')
      .toString('utf8')
      .split('.');
    if (!UUID.test(appointmentId) || !/^[1-9][0-9]{0,11}$/.test(exp)) return null;
    if (Number(exp) <= Math.floor(now.getTime() / 1000)) return null;
    return { appointmentId, exp: Number(exp) };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** Links stay usable for a day after the appointment they were made for (a late "see details"). */
export function patientLinkExpiry(appointmentStart: Date): number {
  return Math.floor(appointmentStart.getTime() / 1000) + 24 * 3_600;
}
