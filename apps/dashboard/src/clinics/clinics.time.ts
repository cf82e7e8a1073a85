import { DateTime } from 'luxon';

export interface ClinicLocalTime {
  /** 24-hour wall-clock time in the clinic, "14:05". */
  time: string;
  /** "Sun 29 Mar". */
  date: string;
  /** "UTC+1", "UTC-4", "UTC+5:30", "UTC". */
  offset: string;
  /** ISO instant with the clinic's offset, for <time dateTime>. */
  iso: string;
}

/** Formats `now` as the clinic's wall clock; the offset makes DST visible next to the time. */
export function clinicLocalTime(now: Date, timeZone: string): ClinicLocalTime {
  const local = DateTime.fromJSDate(now, { zone: timeZone }).setLocale('en-GB');
  if (!local.isValid) throw new Error(`Unknown time zone: ${timeZone}`);
  return {
    time: local.toFormat('HH:mm'),
    date: local.toFormat('ccc d LLL'),
    offset: formatUtcOffset(local.offset),
    iso: local.toISO({ suppressMilliseconds: true }) ?? now.toISOString(),
  };
}

export function formatUtcOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  const hours = Math.floor(abs / 60);
  const rest = abs % 60;
  return `UTC${sign}${hours}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`;
}
