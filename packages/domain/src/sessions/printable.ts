import { z } from 'zod';

/** PostgreSQL text cannot hold NUL, and no other control character belongs in a clinical note. */
function isPrintable(value: string, multiline: boolean): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    const lineBreak = code === 0x09 || code === 0x0a || code === 0x0d;
    if ((code < 0x20 || code === 0x7f) && !(multiline && lineBreak)) return false;
  }
  return true;
}

/** Free text typed by a clinician: trimmed, at most `max` characters, line breaks allowed. */
export const noteText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .refine((v) => isPrintable(v, true), { message: 'contains control characters' });
