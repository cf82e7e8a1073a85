import { createHmac } from 'node:crypto';
import { type IdPools } from './values';

export const STAFF_ROLES = ['admin', 'scheduler', 'supervisor', 'practitioner'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface BadAuthorization {
  label: string;
  value: string;
}

/** What the fuzzer knows of the running system: real ids, credentials, links and secrets. */
export interface FuzzContext {
  ids: IdPools;
  /** Ids destructive calls must not reach (the streaming session, its device and appointment). */
  protectedIds: Set<string>;
  tokens: Record<StaffRole, string>;
  /** Authorization values that must never get in (forged, expired, other schemes); `''` sends none. */
  badAuthorizations: BadAuthorization[];
  deviceKey: string;
  badDeviceAuthorizations: BadAuthorization[];
  patientLinks: { valid: string[]; bad: string[] };
  feed: { practitionerId: string; sig: string; exp: string };
  webhookSecret: string;
  phones: string[];
}

/** `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, as the SMS provider signs. */
export function signWebhook(
  secret: string,
  raw: string,
  at = Math.floor(Date.now() / 1000),
): string {
  return `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${raw}`).digest('hex')}`;
}

/** An HS256 JWT signed with `secret` (to forge tokens with valid signatures but impossible claims). */
export function signJwt(secret: string, claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
