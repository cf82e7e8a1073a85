import { SIMULATED_FAULT_KINDS, type SimulatedFaultKind } from '@tautline/domain';

/** What a simulator run does, from the command line and the environment. */
export interface SimulatorOptions {
  api: string;
  /** Only check that the API answers, then exit. */
  check: boolean;
  /** Print the usage and exit. */
  help: boolean;
  devices: number;
  /** Samples per second per device. */
  hz: number;
  faults: SimulatedFaultKind[];
  durationMs: number;
  /** How often a device sends what it has measured. */
  batchMs: number;
  seed: number;
  /** Stream as these existing devices instead of provisioning (a JSON file, see `device-keys.ts`). */
  keysFile: string | null;
  /** Clinic ids or slugs (`london-bridge`); empty: every clinic of the admin. */
  clinics: string[];
  admin: Credentials;
  operator: Credentials;
  /** How often the progress line is printed when stdout is not a terminal. */
  progressEveryMs: number;
}

export interface Credentials {
  email: string;
  password: string;
}

export class UsageError extends Error {}

export const DEMO_PASSWORD = 'tautline-demo-2026';
const LIMITS = { devices: [1, 1000], hz: [0.1, 100], batchMs: [50, 60_000] } as const;
const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** `--faults` names as people type them, mapped to the generator's kinds. */
export const FAULT_FLAG_NAMES: Record<SimulatedFaultKind, string> = {
  lead_off: 'lead-off',
  spike: 'spike',
  dropout: 'dropout',
  overrun: 'overrun',
};

export const USAGE = `usage: tautline-simulator [options]
  Provisions demo e-stim sessions through the API and streams realistic telemetry for each device.

  --api URL               the Tautline API (default http://127.0.0.1:3000)
  --devices N             simulated stimulators, 1–1000 (default 4)
  --hz N                  samples per second per device, up to 100 (default 10)
  --faults LIST           comma-separated: ${Object.values(FAULT_FLAG_NAMES).join(',')} (default none)
  --duration D            how long to run: 90s, 10m, 1h, 1h30m (default 10m)
  --batch-ms N            send a batch every N ms (default 500)
  --seed N                seed of plans and faults, 0–4294967295 (default random, printed)
  --clinic LIST           clinic ids or slugs (london-bridge), comma-separated (default all)
  --keys FILE             stream as existing devices (JSON: ["tld_…"] or [{"key","plan"}]); no provisioning
  --admin EMAIL           set-up account (default admin@tautline.test, env SIMULATOR_ADMIN_EMAIL)
  --operator EMAIL        account starting and stopping sessions (default supervisor@tautline.test,
                          env SIMULATOR_OPERATOR_EMAIL)
  --password PASSWORD     both accounts' password (default the demo one; env SIMULATOR_PASSWORD,
                          or SIMULATOR_ADMIN_PASSWORD / SIMULATOR_OPERATOR_PASSWORD)
  --progress-every D      progress line interval when stdout is not a terminal (default 5s)
  --check                 only check that the API answers, then exit
  --help                  this text`;

const VALUE_OPTIONS = [
  'api',
  'devices',
  'hz',
  'faults',
  'duration',
  'batch-ms',
  'seed',
  'clinic',
  'keys',
  'admin',
  'operator',
  'password',
  'progress-every',
] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const FLAG_OPTIONS = ['check', 'help'] as const;

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `10m`, `1h30m`, `250ms`; a bare number is seconds. Throws a UsageError naming the flag. */
export function parseDuration(text: string, flag = '--duration'): number {
  const value = text.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else if (/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(value)) {
    ms = 0;
    for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
      ms += Number(amount) * UNITS_MS[unit!]!;
    }
  } else {
    throw new UsageError(`${flag} must be a duration such as 90s, 10m or 1h (got "${text}")`);
  }
  return Math.round(ms);
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max} (got "${text}")`);
  }
  return n;
}

function decimal(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a number from ${min} to ${max} (got "${text}")`);
  }
  return n;
}

export function parseFaults(text: string): SimulatedFaultKind[] {
  const kinds = new Set<SimulatedFaultKind>();
  for (const raw of text.split(',').map((s) => s.trim().toLowerCase())) {
    if (raw === '' || raw === 'none') continue;
    const kind = SIMULATED_FAULT_KINDS.find((k) => k === raw.replace(/-/g, '_'));
    if (!kind) {
      throw new UsageError(
        `--faults: unknown fault "${raw}" (choose from ${Object.values(FAULT_FLAG_NAMES).join(', ')})`,
      );
    }
    kinds.add(kind);
  }
  return SIMULATED_FAULT_KINDS.filter((k) => kinds.has(k));
}

function apiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--api must be an http(s) URL such as http://127.0.0.1:3000 (got "${text}")`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--api must be an http(s) URL (got "${text}")`);
  }
  return url.origin;
}

/**
 * Parses `--name value`, `--name=value` and `--flag` arguments (pnpm's `--` separator is
 * skipped); unknown, repeated or malformed ones are usage errors naming the flag.
 */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = {}): SimulatorOptions {
  const given = new Map<ValueOption, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if ((FLAG_OPTIONS as readonly string[]).includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!(VALUE_OPTIONS as readonly string[]).includes(name))
      throw new UsageError(`unknown option --${name}`);
    const option = name as ValueOption;
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    if (given.has(option)) throw new UsageError(`--${name} is given twice`);
    given.set(option, value);
  }

  const keysFile = given.get('keys') ?? null;
  if (keysFile && given.has('devices'))
    throw new UsageError(
      '--devices and --keys exclude each other (--keys streams one device per key)',
    );
  if (keysFile && given.has('clinic'))
    throw new UsageError('--clinic and --keys exclude each other (--keys does not provision)');

  const durationMs = parseDuration(given.get('duration') ?? '10m');
  if (durationMs < 1000 || durationMs > MAX_DURATION_MS) {
    throw new UsageError(`--duration must be from 1s to 7d (got "${given.get('duration')}")`);
  }
  const progressEveryMs = parseDuration(given.get('progress-every') ?? '5s', '--progress-every');
  if (progressEveryMs < 500) throw new UsageError('--progress-every must be at least 500ms');

  // An empty variable counts as unset.
  const fromEnv = (name: string) => env[name] || undefined;
  const sharedPassword = given.get('password') ?? fromEnv('SIMULATOR_PASSWORD');
  return {
    api: apiUrl(given.get('api') ?? 'http://127.0.0.1:3000'),
    check: flags.has('check'),
    help: flags.has('help'),
    devices: wholeNumber('devices', given.get('devices') ?? '4', ...LIMITS.devices),
    hz: decimal('hz', given.get('hz') ?? '10', ...LIMITS.hz),
    faults: parseFaults(given.get('faults') ?? ''),
    durationMs,
    batchMs: wholeNumber('batch-ms', given.get('batch-ms') ?? '500', ...LIMITS.batchMs),
    seed: given.has('seed')
      ? wholeNumber('seed', given.get('seed')!, 0, 0xffff_ffff)
      : Math.floor(Math.random() * 0x1_0000_0000),
    keysFile,
    clinics: (given.get('clinic') ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    admin: {
      email: given.get('admin') ?? fromEnv('SIMULATOR_ADMIN_EMAIL') ?? 'admin@tautline.test',
      password:
        given.get('password') ??
        fromEnv('SIMULATOR_ADMIN_PASSWORD') ??
        sharedPassword ??
        DEMO_PASSWORD,
    },
    operator: {
      email:
        given.get('operator') ?? fromEnv('SIMULATOR_OPERATOR_EMAIL') ?? 'supervisor@tautline.test',
      password:
        given.get('password') ??
        fromEnv('SIMULATOR_OPERATOR_PASSWORD') ??
        sharedPassword ??
        DEMO_PASSWORD,
    },
    progressEveryMs,
  };
}
