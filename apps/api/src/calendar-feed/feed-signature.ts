import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a subscription link works; calendar clients keep polling it until then. */
export const FEED_LINK_TTL_SECONDS = 180 * 24 * 60 * 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXP = /^[1-9][0-9]{0,11}$/;
const SIG = /^[0-9a-f]{64}$/;

/**
 * Signs and checks calendar-feed links: `sig` = hex HMAC-SHA256 over
 * `practitioner:<id>:user:<userId>:<exp>`. The link names the user it was issued to, so the feed
 * shows only that user's clinics (as they are when it is fetched) and dies with the account.
 * The key is derived from JWT_SECRET with its own label, so a feed signature can never stand in
 * for anything else signed with that secret, and rotating JWT_SECRET revokes every link at once.
 * Pure: no I/O, the clock is passed in.
 */
export class FeedSignature {
  private readonly key: Buffer;

  constructor(jwtSecret: string) {
    this.key = createHmac('sha256', jwtSecret).update('calendar-feed').digest();
  }

  sign(practitionerId: string, userId: string, exp: number): string {
    return createHmac('sha256', this.key)
      .update(`practitioner:${practitionerId}:user:${userId}:${exp}`)
      .digest('hex');
  }

  /** A fresh link's query: expires FEED_LINK_TTL_SECONDS after `now`. */
  issue(practitionerId: string, userId: string, now: Date): { exp: number; sig: string } {
    const exp = Math.floor(now.getTime() / 1000) + FEED_LINK_TTL_SECONDS;
    return { exp, sig: this.sign(practitionerId, userId, exp) };
  }

  /**
   * True only for a well-formed id, an unexpired `exp` and a matching `sig` (compared in constant
   * time). Every failure is the same `false`: the caller answers one 404 for all of them.
   */
  verify(
    practitionerId: string,
    userId: unknown,
    exp: unknown,
    sig: unknown,
    now: Date,
  ): userId is string {
    if (!UUID.test(practitionerId) || typeof userId !== 'string' || !UUID.test(userId))
      return false;
    if (typeof exp !== 'string' || typeof sig !== 'string') return false;
    if (!EXP.test(exp) || !SIG.test(sig)) return false;
    const expected = Buffer.from(this.sign(practitionerId, userId, Number(exp)), 'hex');
    const given = Buffer.from(sig, 'hex');
    const matches = given.length === expected.length && timingSafeEqual(given, expected);
    return matches && Number(exp) > Math.floor(now.getTime() / 1000);
  }
}
