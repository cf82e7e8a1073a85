import { IANAZone } from 'luxon';
import { z } from 'zod';

/** True for a real IANA zone name ("Europe/London"); false for offsets, abbreviations and typos. */
export function isIanaTimeZone(name: string): boolean {
  return name.includes('/') && IANAZone.isValidZone(name);
}

export const TimeZone = z
  .string()
  .refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Europe/London' });
