import { z } from 'zod';

/** Command-line options of the device simulator; device streaming options join them with live sessions. */
export const SimulatorOptions = z.object({
  api: z.url().default('http://127.0.0.1:3000'),
  /** Checks that the API answers and exits; the default mode. */
  check: z.boolean().default(true),
});
export type SimulatorOptions = z.infer<typeof SimulatorOptions>;

export class UsageError extends Error {}

export const USAGE = `usage: tautline-simulator [--api URL]
  --api URL   the Tautline API (default http://127.0.0.1:3000)`;

/** Parses `--name value` and `--flag` arguments; unknown or malformed ones are usage errors. */
export function parseArgs(argv: string[]): SimulatorOptions {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const name = arg.slice(2);
    if (!['api', 'check'].includes(name)) throw new UsageError(`unknown option --${name}`);
    const next = argv[i + 1];
    if (name === 'check') raw.check = true;
    else if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    else raw[name] = argv[++i]!;
  }
  const result = SimulatorOptions.safeParse(raw);
  if (!result.success) {
    throw new UsageError(result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return result.data;
}
