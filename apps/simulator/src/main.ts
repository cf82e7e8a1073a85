#!/usr/bin/env node
import { setMaxListeners } from 'node:events';
import { checkHealth } from './api-client';
import { FAULT_FLAG_NAMES, parseArgs, USAGE, UsageError } from './cli-options';
import { clock, formatSummary, ProgressReporter, SimulatorStats } from './progress';
import { runSimulation } from './simulation';

/**
 * The e-stim device simulator: provisions demo sessions through the REST API (or takes device
 * keys), streams realistic telemetry with injected faults, and after `--duration` (or SIGINT /
 * SIGTERM) stops its sessions, prints a summary and exits 0. A second signal exits at once.
 */
async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const health = await checkHealth(options.api);
  if (options.check) {
    console.log(`simulator: ${options.api} is ${health.text}`);
    return health.ok ? 0 : 1;
  }
  if (!health.ok) {
    console.error(`simulator: ${options.api} is ${health.text}; not starting`);
    return 1;
  }

  const stats = new SimulatorStats();
  const reporter = new ProgressReporter(
    stats,
    options.durationMs,
    process.stdout,
    options.progressEveryMs,
  );
  const runStartMs = Date.now();
  const end = new AbortController();
  setMaxListeners(0, end.signal); // every device waits on it
  const timer = setTimeout(() => end.abort(), options.durationMs);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      reporter.note(`simulator: ${signal} again, exiting without stopping the sessions`);
      process.exit(130);
    }
    reporter.note(`simulator: ${signal} received, stopping the sessions`);
    end.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const faults = options.faults.map((f) => FAULT_FLAG_NAMES[f]).join(', ') || 'none';
  console.log(
    `simulator: ${options.keysFile ? `devices of ${options.keysFile}` : `${options.devices} device(s)`} at ${options.hz} Hz for ${clock(options.durationMs)}, faults ${faults}, seed ${options.seed}, API ${options.api}`,
  );
  reporter.start();
  try {
    await runSimulation({ options, stats, reporter, signal: end.signal, runStartMs });
  } finally {
    clearTimeout(timer);
    reporter.stop();
  }
  for (const line of formatSummary(stats, Date.now() - runStartMs)) console.log(line);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`simulator: ${err.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`simulator: ${(err as Error).message}`);
    process.exit(1);
  },
);
