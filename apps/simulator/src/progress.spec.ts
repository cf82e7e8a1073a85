import { clock, formatProgress, formatSummary, ProgressReporter, SimulatorStats } from './progress';

function stats(): SimulatorStats {
  const s = new SimulatorStats();
  Object.assign(s, {
    devices: 50,
    streaming: 48,
    samplesSent: 123_456,
    samplesAccepted: 123_400,
    batchesAccepted: 2468,
    throttled: 3,
    errors: 1,
  });
  s.faults.spike = 2;
  s.faults.lead_off = 1;
  return s;
}

/** Collects what would go to stdout. */
class Captured {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('progress', () => {
  it('reads as one line: devices, sent, accepted, 429s, errors, faults, elapsed', () => {
    expect(formatProgress(stats(), 75_000, 600_000)).toBe(
      'devices 48/50 · sent 123,456 · accepted 123,400 · 429s 3 · errors 1 · faults 3 · 01:15 / 10:00',
    );
    const retried = stats();
    retried.retries = 4;
    expect(formatProgress(retried, 0, 3_600_000)).toContain(
      'errors 1 · retries 4 · faults 3 · 00:00 / 1:00:00',
    );
  });

  it('clocks minutes and seconds, hours from an hour on', () => {
    expect(clock(0)).toBe('00:00');
    expect(clock(59_999)).toBe('00:59');
    expect(clock(8 * 3_600_000 + 61_000)).toBe('8:01:01');
  });

  it('sums the run up, faults by kind', () => {
    const lines = formatSummary(stats(), 600_000);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('accepted 123,400 in 2,468 batches (202)');
    expect(lines[2]).toBe('simulator: faults injected 3 (lead-off 1, spike 2)');
  });

  it('rewrites one line on a terminal and prints messages above it', async () => {
    const out = new Captured(true);
    const reporter = new ProgressReporter(stats(), 600_000, out);
    reporter.start();
    await new Promise((r) => setTimeout(r, 300));
    reporter.note('simulator: hello');
    reporter.once('x', 'first problem');
    reporter.once('x', 'first problem again');
    reporter.stop();
    expect(out.text).toContain('\r\x1b[2Ksimulator: devices 48/50');
    expect(out.text).toContain('\r\x1b[2Ksimulator: hello\n');
    expect(out.text.match(/first problem/g)).toHaveLength(1);
    expect(out.text.endsWith('\n')).toBe(true);
  });

  it('prints plain lines every few seconds when stdout is not a terminal', async () => {
    const out = new Captured(false);
    const reporter = new ProgressReporter(stats(), 600_000, out, 500);
    reporter.start();
    await new Promise((r) => setTimeout(r, 1100));
    reporter.stop();
    expect(out.text).not.toContain('\x1b');
    expect(out.text.split('\n').filter((l) => l.startsWith('simulator: devices')).length).toBe(3);
  });
});
