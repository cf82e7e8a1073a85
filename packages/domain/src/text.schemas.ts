import { z } from 'zod';

/**
 * The one builder for free text in request bodies (names, reasons, notes, labels), so every field
 * refuses what PostgreSQL cannot store (NUL) and what has no place in a name or note (other C0 and
 * C1 control characters, DEL) with a 400 naming the field — never a 500 from the database.
 */

const isLineBreak = (code: number) => code === 0x09 || code === 0x0a || code === 0x0d;
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

/** True when the text holds a control character (tab and line breaks are allowed in multi-line notes). */
export function hasControlCharacter(value: string, multiline = false): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (isControl(code) && !(multiline && isLineBreak(code))) return true;
  }
  return false;
}

export const CONTROL_CHARACTER_MESSAGE = 'contains control characters';

/** Refuses control characters on any string schema (keeps its other checks). */
export const printable = <S extends z.ZodString>(schema: S, { multiline = false } = {}): S =>
  schema.refine((v) => !hasControlCharacter(v, multiline), { message: CONTROL_CHARACTER_MESSAGE });

export interface TextOptions {
  /** Characters after trimming; default 1 (a blank name is no name). */
  min?: number;
  max: number;
  /** Notes may hold tabs and line breaks; names and reasons may not. */
  multiline?: boolean;
}

/** Trimmed free text of `min`–`max` characters without control characters. */
export const text = ({ min = 1, max, multiline = false }: TextOptions) => {
  // Control characters are refused before trimming: trim() would silently drop a trailing \v or \f.
  const bounded = printable(z.string(), { multiline })
    .trim()
    .max(max, { message: `must be at most ${max} characters` });
  return min > 0 ? bounded.min(min) : bounded;
};
