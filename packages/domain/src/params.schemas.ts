import { z } from 'zod';

const DECIMAL = /^\d{1,9}$/;

/**
 * A whole number from a query string or a JSON body: a number, or decimal digits in a string.
 * Not `z.coerce.number()`, which reads `0x10` as 16, `1e3` as 1000, `[[1]]` as 1 and `''` as 0.
 */
export const countParam = ({ min, max }: { min: number; max: number }) =>
  z.preprocess(
    (value) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value),
    z.number({ message: 'must be a whole number' }).int().min(min).max(max),
  );
