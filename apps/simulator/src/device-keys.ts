import { SessionPlan } from '@tautline/domain';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from './cli-options';
import { FALLBACK_PLAN } from './session-plan';

/** An existing stimulator to stream as (`--keys`): its key, and the plan of its running session. */
export interface KeyedDevice {
  key: string;
  plan: SessionPlan;
  label: string;
}

const Key = z.string().trim().min(8, { message: 'is not a device key' });
/** A bare key reads as `{ key }`, so a bad entry is named field by field. */
const Entry = z.preprocess(
  (value) => (typeof value === 'string' ? { key: value } : value),
  z.strictObject({
    key: Key,
    plan: SessionPlan.optional(),
    label: z.string().trim().min(1).max(80).optional(),
  }),
);
const KeysFile = z
  .array(Entry)
  .min(1, { message: 'list at least one device key' })
  .max(1000, { message: 'at most 1000 devices' });

/**
 * The `--keys` file: a JSON array of keys (`["tld_…"]`) or of `{ key, plan?, label? }` with the
 * SessionPlan of the device's running session; without a plan, channel 1 only is streamed.
 */
export function parseDeviceKeys(text: string, file: string): KeyedDevice[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--keys ${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = KeysFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.length ? `[${i.path.join('.')}] ` : ''}${i.message}`,
    );
    throw new UsageError(`--keys ${file}: ${problems.join('; ')}`);
  }
  const keys = parsed.data.map((entry) => entry.key);
  if (new Set(keys).size !== keys.length)
    throw new UsageError(`--keys ${file}: a key is listed twice`);
  return parsed.data.map((entry, i) => ({
    key: entry.key,
    plan: entry.plan ?? FALLBACK_PLAN,
    label: entry.label ?? `device ${i + 1}`,
  }));
}

export async function readDeviceKeys(file: string): Promise<KeyedDevice[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--keys ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseDeviceKeys(text, file);
}
