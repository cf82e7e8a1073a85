import { DEVICE_KEY_PREFIX } from '@tautline/domain';
import { createHash, randomBytes } from 'node:crypto';

/** A new device key: 256 random bits. Only its SHA-256 is stored (a high-entropy key needs no slow hash). */
export function newDeviceKey(): { key: string; hash: string; hint: string } {
  const key = `${DEVICE_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashDeviceKey(key), hint: key.slice(0, 10) };
}

export function hashDeviceKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const KEY = /^tld_[A-Za-z0-9_-]{43}$/;

/** The key of an `Authorization: Device <key>` header, or null when absent or malformed. */
export function deviceKeyFrom(header: string | undefined): string | null {
  const [scheme, key, extra] = (header ?? '').split(' ');
  if (extra !== undefined || scheme?.toLowerCase() !== 'device' || !key || !KEY.test(key))
    return null;
  return key;
}
