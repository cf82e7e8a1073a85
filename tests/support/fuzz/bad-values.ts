import { randomUUID } from 'node:crypto';

/** Values that break the contract, shared by body, query and path mutations. */
/** Control characters no free-text field may hold (tab, CR and LF are left to the fields that allow lines). */
export const CONTROL = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u001b', '\u007f'];

export const BAD_INSTANTS = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '2201-01-01T00:00:00Z',
  '2026-02-30T10:00:00Z',
  '2026-13-01T10:00:00Z',
  '2026-06-01T24:00:00Z',
  '2026-06-01T10:00:00',
  '2026-06-01 10:00:00Z',
  '2026-06-01T10:00:00+25:00',
  'tomorrow',
  '',
  '1764500000',
];
export const BAD_DATES = [
  '0000-01-01',
  '9999-12-31',
  '+275760-09-13',
  '1899-12-31',
  '2201-01-01',
  '2026-02-30',
  '2026-6-1',
  '01/06/2026',
  '',
];
export const BAD_UUIDS = [
  'not-a-uuid',
  '1',
  '00000000-0000-0000-0000-00000000000g',
  '123e4567-e89b-12d3-a456-42661417400',
  '{123e4567-e89b-12d3-a456-426614174000}',
  "' OR '1'='1",
  '123e4567e89b12d3a456426614174000',
];

export const BAD_PERCENT = ['%zz', '%', '%E0%A4%A', '%C0%AF', '%FF%FE', 'a%2', '%u0041'];
export const BAD_SEGMENTS = [
  'not-a-uuid',
  '0',
  '-1',
  '00000000-0000-0000-0000-000000000000',
  '%00',
  '..',
  '%2e%2e',
  '%C3%BC',
  'a'.repeat(120),
  `${randomUUID()}.json`,
  `${randomUUID().toUpperCase()}`,
  "'%20OR%201=1",
];
