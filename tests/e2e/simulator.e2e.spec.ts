import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiClient, eventually, signIn } from '../support/booking-client';
import { startRunningSession, TEST_PLAN } from '../support/estim-visit';
import { startStack, type Stack } from '../support/stack';

const SIMULATOR = path.resolve(__dirname, '../../apps/simulator/dist/main.js');

interface SimulatorRun {
  child: ChildProcess;
  output(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

interface Summary {
  sent: number;
  accepted: number;
  batches: number;
  throttled: number;
  errors: number;
  started: number;
  stopped: number;
}

/**
 * The device simulator end to end: the built simulator CLI as a process against the built api and
 * worker (processes, real PostgreSQL and Redis), exactly as `pnpm start` runs it.
 */
describe('the device simulator against the built api and worker', () => {
  let stack: Stack;
  let clinician: ApiClient;
  let dir: string;

  const run = (args: string[]): SimulatorRun => {
    const child = spawn(
      process.execPath,
      [SIMULATOR, '--api', stack.apiUrl, '--progress-every', '1s', ...args],
      {
        // The demo accounts, whatever the caller's environment says.
        env: {
          ...process.env,
          SIMULATOR_ADMIN_EMAIL: '',
          SIMULATOR_OPERATOR_EMAIL: '',
          SIMULATOR_PASSWORD: '',
          SIMULATOR_ADMIN_PASSWORD: '',
          SIMULATOR_OPERATOR_PASSWORD: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d));
    child.stderr!.on('data', (d: Buffer) => (output += d));
    const done = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
      output,
    }));
    return { child, output: () => output, done };
  };

  const summaryOf = (output: string): Summary => {
    const n = (s: string | undefined) => Number((s ?? 'NaN').replace(/,/g, ''));
    const samples =
      /samples sent ([\d,]+), accepted ([\d,]+) in ([\d,]+) batches \(202\); 429s ([\d,]+), retries [\d,]+, errors ([\d,]+)/.exec(
        output,
      );
    const sessions = /sessions started (\d+), stopped (\d+)/.exec(output);
    if (!samples || !sessions) throw new Error(`no summary in the simulator's output:\n${output}`);
    return {
      sent: n(samples[1]),
      accepted: n(samples[2]),
      batches: n(samples[3]),
      throttled: n(samples[4]),
      errors: n(samples[5]),
      started: n(sessions[1]),
      stopped: n(sessions[2]),
    };
  };

  const query = <T>(sql: string, params: unknown[] = []) =>
    stack.db.dataSource.query(sql, params) as Promise<T[]>;
  /** Sessions in the simulator's own rooms. */
  const simSessions = (status?: string) =>
    query<{ id: string; status: string; adverse_event: unknown; ended_at: Date | null }>(
      `SELECT s.id, s.status, s.adverse_event, s.ended_at FROM treatment_sessions s JOIN rooms r ON r.id = s.room_id
        WHERE r.name LIKE 'Sim room %' AND ($1::text IS NULL OR s.status = $1) ORDER BY s.created_at`,
      [status ?? null],
    );
  const storedSamples = async (sessionIds: string[]) =>
    Number(
      (
        await query<{ n: string }>(
          `SELECT count(*) AS n FROM telemetry_samples WHERE session_id = ANY($1)`,
          [sessionIds],
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    // A small backlog limit, so that stopping the worker soon makes the API answer 429.
    stack = await startStack('e2e-simulator', { env: { TELEMETRY_MAX_BACKLOG: '10' } });
    clinician = await signIn(stack.apiUrl, 'supervisor@tautline.test');
    dir = await mkdtemp(path.join(tmpdir(), 'tautline-simulator-'));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('streams as existing devices with --keys, without provisioning or stopping their sessions', async () => {
    const q = async (sql: string, v: string) => (await query<{ id: string }>(sql, [v]))[0]!.id;
    const session = await startRunningSession(
      {
        admin: await signIn(stack.apiUrl, 'admin@tautline.test'),
        scheduler: await signIn(stack.apiUrl, 'scheduler@tautline.test'),
        clinician,
      },
      {
        clinicId: stack.demo.clinicIds['london-bridge']!,
        patientId: await q(`SELECT id FROM patients WHERE given_name = $1`, 'Olivia'),
        practitionerId: await q(
          `SELECT id FROM practitioners WHERE name = $1`,
          'Eleanor Whitcombe',
        ),
        estimTypeId: await q(
          `SELECT id FROM appointment_types WHERE name = $1`,
          'Dry needling + e-stim 45 min',
        ),
      },
    );
    const keys = path.join(dir, 'keys.json');
    await writeFile(
      keys,
      JSON.stringify([{ key: session.deviceKey, plan: TEST_PLAN, label: 'Treatment room' }]),
    );

    const { code, output } = await run([
      '--keys',
      keys,
      '--duration',
      '4s',
      '--faults',
      'spike',
      '--seed',
      '5',
    ]).done;

    expect({ code, output }).toMatchObject({ code: 0 });
    const summary = summaryOf(output);
    expect(summary).toMatchObject({ errors: 0, started: 0, stopped: 0 });
    expect(summary.accepted).toBeGreaterThan(25);
    expect(summary.accepted).toBe(summary.sent);
    expect(output).toMatch(/faults injected 1 \(spike 1\)/);
    expect(
      (await clinician.call<{ status: string }>('GET', `/sessions/${session.sessionId}`)).body
        .status,
    ).toBe('running');
    expect(await simSessions()).toEqual([]);
    await eventually(async () => (await storedSamples([session.sessionId])) === summary.accepted);
    expect(
      (
        await clinician.call('POST', `/sessions/${session.sessionId}/stop`, {
          adverseEvent: { kind: 'none' },
        })
      ).status,
    ).toBe(200);
  }, 60_000);

  it('provisions running sessions, has its batches accepted (202) and stops the sessions at the end', async () => {
    const simulator = run([
      '--devices',
      '2',
      '--hz',
      '10',
      '--duration',
      '8s',
      '--faults',
      'spike,lead-off',
      '--seed',
      '1',
    ]);
    const running = await eventually(async () => {
      const rows = await simSessions('running');
      return rows.length === 2 && rows;
    }, 15_000);
    const { code, output } = await simulator.done;

    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(/session running in Sim room 01 · London Bridge/);
    expect(output).toMatch(/session running in Sim room 01 · Manchester/);
    const summary = summaryOf(output);
    expect(summary).toMatchObject({ errors: 0, started: 2, stopped: 2 });
    expect(output).toMatch(/faults injected 2 \(lead-off 1, spike 1\)/);
    expect(summary.accepted).toBeGreaterThan(50);
    expect(summary.batches).toBeGreaterThan(10);
    // Stopped: completed, with the adverse-event record, and the appointments completed with them.
    const ended = await simSessions();
    expect(ended.map((s) => s.id)).toEqual(running.map((s) => s.id));
    for (const s of ended)
      expect(s).toMatchObject({ status: 'completed', adverse_event: { kind: 'none' } });
    const appointments = await query<{ status: string }>(
      `SELECT a.status FROM appointments a JOIN treatment_sessions s ON s.appointment_id = a.id WHERE s.id = ANY($1)`,
      [ended.map((s) => s.id)],
    );
    expect(appointments.map((a) => a.status)).toEqual(['completed', 'completed']);
    // The worker stored every accepted sample once, and the injected faults raised their alerts.
    const ids = ended.map((s) => s.id);
    await eventually(async () => (await storedSamples(ids)) === summary.accepted);
    const alerts = await query<{ kind: string }>(
      `SELECT DISTINCT kind FROM alerts WHERE session_id = ANY($1) ORDER BY kind`,
      [ids],
    );
    expect(alerts.map((a) => a.kind)).toEqual(['impedance_out_of_range', 'intensity_over_ceiling']);
  }, 60_000);

  it('starts cleanly on the same database after a killed run: ends what it left running, then works', async () => {
    const before = (await simSessions()).length;
    const killed = run(['--devices', '2', '--duration', '5m', '--seed', '2']);
    const left = await eventually(async () => {
      const rows = await simSessions('running');
      return rows.length === 2 && rows;
    }, 15_000);
    killed.child.kill('SIGKILL');
    await killed.done;
    expect((await simSessions('running')).map((s) => s.id)).toEqual(left.map((s) => s.id));

    const { code, output } = await run(['--devices', '2', '--duration', '5s', '--seed', '3']).done;

    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(
      /ended 2 session\(s\) and cancelled 0 appointment\(s\) an earlier run left behind/,
    );
    const summary = summaryOf(output);
    expect(summary).toMatchObject({ errors: 0, started: 2, stopped: 2 });
    expect(summary.accepted).toBeGreaterThan(20);
    const all = await simSessions();
    expect(all).toHaveLength(before + 4);
    expect(all.filter((s) => s.status !== 'completed')).toEqual([]);
    // The earlier run's rooms were still booked, so this run took others (or free ones) without a clash.
    expect(output).not.toMatch(/could not set up/);
  }, 60_000);

  it('honours 429 from an overloaded API and resends the same batches; SIGTERM stops cleanly', async () => {
    await stack.killWorker(); // nothing drains the telemetry queue: past 10 waiting jobs the API answers 429
    const simulator = run([
      '--devices',
      '2',
      '--duration',
      '2m',
      '--batch-ms',
      '250',
      '--seed',
      '4',
    ]);
    await eventually(async () => /429s [1-9]/.test(simulator.output()), 20_000);
    await stack.startWorker();
    const throttledAt = Date.now();
    await eventually(async () => (await simSessions('running')).length === 2);
    await new Promise((r) => setTimeout(r, Math.max(0, 4000 - (Date.now() - throttledAt))));
    simulator.child.kill('SIGTERM');
    const { code, output } = await simulator.done;

    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(/SIGTERM received, stopping the sessions/);
    const summary = summaryOf(output);
    expect(summary.throttled).toBeGreaterThan(0);
    expect(summary).toMatchObject({ errors: 0, started: 2, stopped: 2 });
    expect(summary.accepted).toBeGreaterThan(0);
    expect(await simSessions('running')).toEqual([]);
    // Resent batches are idempotent by seq: what the API accepted is stored exactly once.
    const ids = (await simSessions()).slice(-2).map((s) => s.id);
    await eventually(async () => (await storedSamples(ids)) === summary.accepted, 20_000);
  }, 90_000);
});
