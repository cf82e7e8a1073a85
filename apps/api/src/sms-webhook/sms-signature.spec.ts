import { createHmac } from 'node:crypto';
import { signSmsWebhook, SMS_SIGNATURE_TOLERANCE_SECONDS, verifySmsWebhook } from './sms-signature';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const NOW = new Date('2026-03-08T09:00:00.000Z');
const T = Math.floor(NOW.getTime() / 1000);
const BODY = '{"messageId":"SM1","from":"+447700900101","to":"+447700900000","text":"C"}';
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('SMS webhook signature', () => {
  it('signs t and the raw bytes with HMAC-SHA256, as documented', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signSmsWebhook(SECRET, BODY, NOW)).toBe(`t=${T},v1=${expected}`);
    expect(signSmsWebhook(SECRET, Buffer.from(BODY), NOW)).toBe(`t=${T},v1=${expected}`);
  });

  it('accepts its own signature, within the tolerance either way', () => {
    const header = signSmsWebhook(SECRET, BODY, NOW);
    expect(verifySmsWebhook(SECRET, header, Buffer.from(BODY), NOW)).toEqual({ ok: true });
    expect(verifySmsWebhook(SECRET, header, BODY, at(SMS_SIGNATURE_TOLERANCE_SECONDS))).toEqual({
      ok: true,
    });
    expect(verifySmsWebhook(SECRET, header, BODY, at(-SMS_SIGNATURE_TOLERANCE_SECONDS))).toEqual({
      ok: true,
    });
  });

  it('refuses a replay older than 300 s, and a timestamp too far ahead', () => {
    const header = signSmsWebhook(SECRET, BODY, NOW);
    expect(verifySmsWebhook(SECRET, header, BODY, at(301))).toEqual({ ok: false, reason: 'stale' });
    expect(verifySmsWebhook(SECRET, header, BODY, at(-301))).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifySmsWebhook(SECRET, header, BODY, at(60), 30)).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses another secret, another body, a changed byte and a moved timestamp', () => {
    const header = signSmsWebhook(SECRET, BODY, NOW);
    const mismatch = { ok: false, reason: 'mismatch' };
    expect(verifySmsWebhook(`${SECRET}x`, header, BODY, NOW)).toEqual(mismatch);
    expect(verifySmsWebhook(SECRET, header, BODY.replace('"C"', '"STOP"'), NOW)).toEqual(mismatch);
    expect(verifySmsWebhook(SECRET, header, `${BODY} `, NOW)).toEqual(mismatch);
    expect(verifySmsWebhook(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, NOW)).toEqual(
      mismatch,
    );
    // Re-serialised JSON is other bytes: the signature covers exactly what was sent.
    expect(
      verifySmsWebhook(SECRET, header, JSON.stringify(JSON.parse(BODY), null, 1), NOW),
    ).toEqual(mismatch);
  });

  it('accepts any one of several v1 signatures (secret rotation) and ignores other schemes', () => {
    const good = signSmsWebhook(SECRET, BODY, NOW).split('v1=')[1]!;
    const other = signSmsWebhook('another-secret-of-thirty-two-characters!', BODY, NOW).split(
      'v1=',
    )[1]!;
    expect(verifySmsWebhook(SECRET, `t=${T},v1=${other},v1=${good}`, BODY, NOW)).toEqual({
      ok: true,
    });
    expect(verifySmsWebhook(SECRET, `t=${T}, v0=abc, v1=${good.toUpperCase()}`, BODY, NOW)).toEqual(
      { ok: true },
    );
    expect(verifySmsWebhook(SECRET, `t=${T},v1=${other}`, BODY, NOW)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    [['t=1,v1=00'], 'malformed'],
    ['garbage', 'malformed'],
    [`t=${T}`, 'malformed'],
    ['v1=' + 'a'.repeat(64), 'malformed'],
    [`t=${T},v1=xyz`, 'malformed'],
    [`t=${T},v1=${'a'.repeat(63)}`, 'malformed'],
    [`t=-5,v1=${'a'.repeat(64)}`, 'malformed'],
    [`t=1.5,v1=${'a'.repeat(64)}`, 'malformed'],
    [`t=${T},t=${T},v1=${'a'.repeat(64)}`, 'malformed'],
    [`t=${T},v1=${'a'.repeat(64)},v1=zz`, 'malformed'],
    [`t=${T},v1=${'a'.repeat(2000)}`, 'malformed'],
  ])('refuses header %j as %s', (header, reason) => {
    expect(verifySmsWebhook(SECRET, header, BODY, NOW)).toEqual({ ok: false, reason });
  });

  it('treats a missing body as empty bytes', () => {
    const header = signSmsWebhook(SECRET, '', NOW);
    expect(verifySmsWebhook(SECRET, header, undefined, NOW)).toEqual({ ok: true });
  });
});
