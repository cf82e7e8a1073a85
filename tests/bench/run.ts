// Runs every benchmark in sequence (they share the machine, so never in parallel).
// Needs the built apps: `pnpm bench` at the root builds first; in tests/ run `pnpm bench`.
import { bookingContentionBench } from './booking-contention.bench';
import { liveBoardBench } from './live-board.bench';
import { liveTelemetryBench } from './live-telemetry.bench';
import { reminderDispatchBench } from './reminder-dispatch.bench';
import { runAsScript } from './support/report';
import { slotSearchBench } from './slot-search.bench';

const BENCHES: [string, () => Promise<void>][] = [
  ['slot-search', slotSearchBench],
  ['booking-contention', bookingContentionBench],
  ['reminder-dispatch', reminderDispatchBench],
  ['live-board', liveBoardBench],
  ['live-telemetry', liveTelemetryBench],
];

runAsScript(async () => {
  const only = process.argv.slice(2);
  for (const [name, bench] of BENCHES) {
    if (only.length > 0 && !only.includes(name)) continue;
    await bench();
  }
});
