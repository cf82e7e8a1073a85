import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the SMS provider signs each webhook with: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SMS_SIGNATURE_HEADER = 'x-tautline-signature';

/** A signature older or newer than this is refused, so a captured request cannot be replayed later. */
export const SMS_SIGNATURE_TOLERANCE_SECONDS = 300;

export type SmsSignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';
export type SmsSignatureCheck = { ok: true } | { ok: false; reason: SmsSignatureFailure };

const TIMESTAMP = /^[0-9]{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

function digest(secret: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

const asBuffer = (body: Buffer | string | undefined): Buffer =>
  Buffer.isBuffer(body) ? body : Buffer.from(body ?? '', 'utf8');

/**
 * The header value for `body` sent at `now`: HMAC-SHA256 with the shared secret over
 * `"<t>.<raw body bytes>"`. Used by tests and by anything that simulates the provider.
 */
export function signSmsWebhook(secret: string, body: Buffer | string, now: Date): string {
  const t = String(Math.floor(now.getTime() / 1000));
  return `t=${t},v1=${digest(secret, t, asBuffer(body)).toString('hex')}`;
}

/**
 * Checks a webhook's signature header against the exact bytes received. Pure: the clock is passed
 * in. Several `v1` entries are allowed (a provider rotating its secret signs with both); one match
 * is enough. Every comparison is constant-time.
 */
export function verifySmsWebhook(
  secret: string,
  header: unknown,
  body: Buffer | string | undefined,
  now: Date,
  toleranceSeconds = SMS_SIGNATURE_TOLERANCE_SECONDS,
): SmsSignatureCheck {
  if (header === undefined || header === null || header === '')
    return { ok: false, reason: 'missing' };
  if (typeof header !== 'string' || header.length > 1000) return { ok: false, reason: 'malformed' };
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return { ok: false, reason: 'malformed' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined) return { ok: false, reason: 'malformed' };
      timestamp = value;
    } else if (key === 'v1') {
      signatures.push(value);
    }
    // Other schemes (v0, v2, …) are ignored: only v1 is understood.
  }
  if (timestamp === undefined || !TIMESTAMP.test(timestamp) || signatures.length === 0)
    return { ok: false, reason: 'malformed' };
  if (!signatures.every((s) => HEX_SHA256.test(s))) return { ok: false, reason: 'malformed' };
  const expected = digest(secret, timestamp, asBuffer(body));
  // Check every candidate (no early exit), so timing does not tell which one matched.
  let matched = false;
  for (const s of signatures) {
    if (timingSafeEqual(Buffer.from(s, 'hex'), expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'mismatch' };
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
  if (skew > toleranceSeconds) return { ok: false, reason: 'stale' };
  return { ok: true };
}
