#!/usr/bin/env node
// `pnpm start` (after the build): migrate + seed the database, then run the API, the worker,
// the dashboard (vite preview) and, when built, the demo device simulator, with each child's
// output tagged. Ctrl+C (SIGINT) or SIGTERM stops them all; if one dies, the others are stopped
// and this exits non-zero naming it. Node built-ins only.
//
// Env: API_PORT (3000), DASHBOARD_PORT (5173), SIMULATOR=off to skip the simulator,
//      START_HEALTH_TIMEOUT seconds to wait for the API (60), NO_COLOR / FORCE_COLOR.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STOP_GRACE_MS = 10_000;
const SIMULATOR_STOP_MS = 5_000;

// ------------------------------------------------------------------ config
function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`[start] ${name}=${raw} is not a port number`);
    process.exit(2);
  }
  return port;
}
const API_PORT = portFromEnv('API_PORT', 3000);
const DASHBOARD_PORT = portFromEnv('DASHBOARD_PORT', 5173);
const HEALTH_TIMEOUT_MS = (Number(process.env.START_HEALTH_TIMEOUT) || 60) * 1000;
const CHILD_ENV = {
  ...process.env,
  API_PORT: String(API_PORT),
  DASHBOARD_PORT: String(DASHBOARD_PORT),
};

// ------------------------------------------------------------------ output
const useColor = process.env.FORCE_COLOR
  ? process.env.FORCE_COLOR !== '0'
  : process.stdout.isTTY && !process.env.NO_COLOR;
const COLORS = { start: '1', db: '34', api: '36', worker: '35', dashboard: '32', simulator: '33' };
const TAG_WIDTH = Math.max(...Object.keys(COLORS).map((n) => n.length)) + 2;
const paint = (code, text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const tag = (name) => paint(COLORS[name] ?? '1', `[${name}]`.padEnd(TAG_WIDTH));
const say = (msg) => console.log(`${tag('start')} ${msg}`);
const shout = (msg) => console.error(`${tag('start')} ${paint('31', msg)}`);

// ------------------------------------------------------------------ children
/** @type {Map<string, {child: import('node:child_process').ChildProcess, exit: Promise<{code: number|null, signal: string|null}>, exited: boolean}>} */
const children = new Map();
let stopping = false; // set once we have decided to stop everything
let failure = null; // why we are stopping, when it is a failure (exit 1)

function describeExit({ code, signal, error }) {
  if (error) return error;
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** Runs a command in its own process group (so a signal reaches pnpm's grandchildren too). */
function run(name, command, args, { onExit } = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: CHILD_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
      out.write(`${tag(name)} ${line}\n`),
    );
  }
  const entry = { child, exited: false, exit: null };
  entry.exit = new Promise((resolve) => {
    let settled = false;
    const settle = (result) => {
      if (settled) return;
      settled = true;
      entry.exited = true;
      resolve(result);
      onExit?.(result);
      maybeFinish();
    };
    child.once('error', (err) =>
      settle({ code: null, signal: null, error: `could not run ${command}: ${err.message}` }),
    );
    child.once('exit', (code, signal) => settle({ code, signal }));
  });
  children.set(name, entry);
  return entry;
}

function signalGroup(entry, signal) {
  const { pid } = entry.child;
  if (!pid) return;
  try {
    process.kill(-pid, signal); // the whole group: pnpm and the vite it started, say
  } catch {
    if (!entry.exited) entry.child.kill(signal);
  }
}

/** Called when a long-running child exits on its own. */
function onServiceExit(name, allowCleanExit = false) {
  return (result) => {
    if (stopping) return;
    if (allowCleanExit && result.code === 0) {
      say(`${name} finished`);
      return;
    }
    stopAll(`${name} exited unexpectedly (${describeExit(result)})`);
  };
}

let killTimer = null;
function stopAll(reason, signal = 'SIGTERM') {
  if (stopping) return;
  stopping = true;
  if (reason) {
    failure = reason;
    shout(`${reason}; stopping the others`);
  }
  // The simulator stops its sessions through the API: let it finish (briefly) before the API goes.
  const simulator = children.get('simulator');
  const others = [...children.values()].filter((e) => e !== simulator);
  if (simulator && !simulator.exited) {
    signalGroup(simulator, signal);
    const grace = new Promise((r) => setTimeout(r, SIMULATOR_STOP_MS).unref());
    Promise.race([simulator.exit, grace]).then(() => others.forEach((e) => signalGroup(e, signal)));
  } else {
    for (const entry of others) signalGroup(entry, signal);
  }
  killTimer = setTimeout(() => {
    const left = [...children].filter(([, e]) => !e.exited).map(([n]) => n);
    shout(`still running after ${STOP_GRACE_MS / 1000}s, killing: ${left.join(', ')}`);
    for (const entry of children.values()) signalGroup(entry, 'SIGKILL');
  }, STOP_GRACE_MS);
  killTimer.unref();
  maybeFinish();
}

function maybeFinish() {
  if (!stopping || [...children.values()].some((e) => !e.exited)) return;
  // Leaders are gone; take any stragglers in their groups with them.
  for (const entry of children.values()) signalGroup(entry, 'SIGKILL');
  if (failure) {
    shout(`stopped: ${failure}`);
    process.exit(1);
  }
  say('stopped');
  process.exit(0);
}

let signalsSeen = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    signalsSeen += 1;
    if (signalsSeen === 1) {
      say(
        `${sig} received, stopping ${
          [...children]
            .filter(([, e]) => !e.exited)
            .map(([n]) => n)
            .join(', ') || 'nothing'
        }`,
      );
      stopAll(null, sig);
    } else {
      say('second signal: killing everything now');
      for (const entry of children.values()) signalGroup(entry, 'SIGKILL');
    }
  });
}
// Should this script itself crash, don't leave orphans behind.
process.on('exit', () => {
  for (const entry of children.values()) if (!entry.exited) signalGroup(entry, 'SIGKILL');
});

// ------------------------------------------------------------------ steps
const paths = {
  migrate: 'packages/db/dist/cli/migrate.js',
  seed: 'packages/db/dist/cli/seed.js',
  api: 'apps/api/dist/main.js',
  worker: 'apps/worker/dist/main.js',
  dashboard: 'apps/dashboard/dist/index.html',
  simulator: 'apps/simulator/dist/main.js',
};
// The demo's device simulator: a few stimulators in "Sim room" sessions, with lead-offs and spikes.
const SIMULATOR_DEVICES = 4;
const SIMULATOR_ARGS = [
  '--api',
  `http://127.0.0.1:${API_PORT}`,
  '--devices',
  String(SIMULATOR_DEVICES),
  '--hz',
  '10',
  '--faults',
  'lead-off,spike',
  '--duration',
  '8h',
  '--progress-every',
  '60s',
];
const missing = ['migrate', 'seed', 'api', 'worker', 'dashboard'].filter(
  (k) => !existsSync(`${ROOT}${paths[k]}`),
);
if (missing.length) {
  shout(`not built: ${missing.map((k) => paths[k]).join(', ')}`);
  shout('run `pnpm start` (it builds first) or `pnpm build`');
  process.exit(1);
}

/** Runs a one-shot step (migrate, seed); aborts with its name when it fails. */
async function oneShot(what, script) {
  const result = await run('db', process.execPath, [script]).exit;
  if (stopping) return; // interrupted: maybeFinish() exits
  if (result.code !== 0) {
    shout(`${what} failed (${describeExit(result)}); not starting Tautline`);
    process.exit(1);
  }
}

async function waitForHealth() {
  const url = `http://127.0.0.1:${API_PORT}/api/health`;
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer';
  while (!stopping && Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err?.cause?.code ?? err?.name ?? 'error';
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!stopping)
    stopAll(
      `the API did not answer 200 at ${url} within ${HEALTH_TIMEOUT_MS / 1000}s (last: ${last})`,
    );
  return false;
}

function banner(simulator) {
  const b = (s) => paint('1', s);
  const users = [
    ['admin@tautline.test', 'admin', 'all clinics'],
    ['scheduler@tautline.test', 'scheduler', 'London Bridge, Manchester'],
    ['supervisor@tautline.test', 'supervisor', 'all clinics'],
    ['practitioner@tautline.test', 'practitioner', 'New York Chelsea'],
  ];
  const cell = (text, width, bold) =>
    (bold ? b(text) : text) + ' '.repeat(Math.max(1, width - text.length));
  const rows = [['email', 'role', 'clinics'], ...users].map(
    ([email, role, clinics], i) =>
      `    ${cell(email, 29, !i)}${cell(role, 14, !i)}${i ? clinics : b(clinics)}`,
  );
  const line = '─'.repeat(66);
  console.log(
    [
      '',
      paint('32', line),
      `  ${b('Tautline is running')}`,
      '',
      `    Dashboard  ${b(`http://localhost:${DASHBOARD_PORT}`)}`,
      `    API        http://localhost:${API_PORT}/api/v1`,
      `    OpenAPI    http://localhost:${API_PORT}/api/docs`,
      `    Health     http://localhost:${API_PORT}/api/health`,
      '',
      `  Demo logins — password ${b('tautline-demo-2026')} for all:`,
      ...rows,
      '',
      `  Simulator: ${simulator}`,
      ...demoSecretsWarning(),
      '  Press Ctrl+C to stop.',
      paint('32', line),
      '',
    ].join('\n'),
  );
}

/** The banner says when the published development secrets are in use (fine on loopback, never beyond). */
function demoSecretsWarning() {
  let names;
  try {
    // The built config package (built with the apps): the same schema and defaults the API uses.
    const config = createRequire(import.meta.url)('../packages/config/dist/index.js');
    names = config.demoSecretsInUse(config.loadEnv(CHILD_ENV));
  } catch {
    return []; // an invalid environment stops the API itself, naming the variable
  }
  if (names.length === 0) return [];
  return [
    '',
    `  ${paint('33', `Demo secrets in use: ${names.join(', ')}`)} (published defaults; local use only).`,
    '  Set your own before exposing Tautline: a non-loopback API_HOST or NODE_ENV=production refuses them.',
  ];
}

say('migrating the database');
await oneShot('migration', paths.migrate);
say('seeding the demo organisation');
await oneShot('seed', paths.seed);

if (!stopping) {
  say(`starting api (:${API_PORT}), worker, dashboard (:${DASHBOARD_PORT})`);
  run('api', process.execPath, [paths.api], { onExit: onServiceExit('api') });
  run('worker', process.execPath, [paths.worker], { onExit: onServiceExit('worker') });
  run(
    'dashboard',
    'pnpm',
    [
      '--filter',
      '@tautline/dashboard',
      'exec',
      'vite',
      'preview',
      '--port',
      String(DASHBOARD_PORT),
      '--strictPort',
    ],
    {
      onExit: onServiceExit('dashboard'),
    },
  );

  if (await waitForHealth()) {
    // The simulator starts once the API answers, so its devices don't begin with refused connections.
    let simulator;
    if ((process.env.SIMULATOR ?? '').toLowerCase() === 'off') simulator = 'off (SIMULATOR=off)';
    else if (!existsSync(`${ROOT}${paths.simulator}`))
      simulator = `not built (${paths.simulator} missing)`;
    else {
      // So the dashboard is alive. A simulator that fails only says so: the demo carries on without it.
      run('simulator', process.execPath, [paths.simulator, ...SIMULATOR_ARGS], {
        onExit: (result) => {
          if (!stopping)
            say(
              `simulator ${result.code === 0 ? 'finished' : `stopped (${describeExit(result)})`}; the rest keeps running`,
            );
        },
      });
      simulator = `${SIMULATOR_DEVICES} devices streaming with lead-off and spike faults (SIMULATOR=off to skip)`;
    }
    if (!stopping) banner(simulator);
  }
}
