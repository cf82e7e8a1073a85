import { SIMULATED_FAULT_KINDS, type SimulatedFaultKind } from '@tautline/domain';
import { FAULT_FLAG_NAMES } from './cli-options';

/** Counters of a run, shared by every device; read by the progress line and the summary. */
export class SimulatorStats {
  /** Devices asked for. */
  devices = 0;
  /** Devices streaming right now. */
  streaming = 0;
  sessionsStarted = 0;
  sessionsStopped = 0;
  /** Samples handed to the API at least once. */
  samplesSent = 0;
  /** Samples in 202 answers. */
  samplesAccepted = 0;
  batchesAccepted = 0;
  /** 429 answers (each honoured, its batch resent). */
  throttled = 0;
  /** Network errors and 5xx answers (each retried with backoff). */
  retries = 0;
  /** 4xx answers other than 429, and failed set-up or stop calls. */
  errors = 0;
  readonly faults: Record<SimulatedFaultKind, number> = {
    lead_off: 0,
    spike: 0,
    dropout: 0,
    overrun: 0,
  };

  get faultsInjected(): number {
    return SIMULATED_FAULT_KINDS.reduce((sum, k) => sum + this.faults[k], 0);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `mm:ss`, or `h:mm:ss` from an hour on. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

const count = (n: number) => n.toLocaleString('en-GB');

/** One line: devices, samples sent and accepted, 429s, errors, faults injected, elapsed. */
export function formatProgress(
  stats: SimulatorStats,
  elapsedMs: number,
  durationMs: number,
): string {
  const parts = [
    `devices ${stats.streaming}/${stats.devices}`,
    `sent ${count(stats.samplesSent)}`,
    `accepted ${count(stats.samplesAccepted)}`,
    `429s ${count(stats.throttled)}`,
    `errors ${count(stats.errors)}`,
  ];
  if (stats.retries > 0) parts.push(`retries ${count(stats.retries)}`);
  parts.push(`faults ${count(stats.faultsInjected)}`, `${clock(elapsedMs)} / ${clock(durationMs)}`);
  return parts.join(' · ');
}

/** The closing lines of a run. */
export function formatSummary(stats: SimulatorStats, elapsedMs: number): string[] {
  const faults = SIMULATED_FAULT_KINDS.filter((k) => stats.faults[k] > 0)
    .map((k) => `${FAULT_FLAG_NAMES[k]} ${stats.faults[k]}`)
    .join(', ');
  return [
    `simulator: ran ${clock(elapsedMs)} with ${stats.devices} device(s); sessions started ${stats.sessionsStarted}, stopped ${stats.sessionsStopped}`,
    `simulator: samples sent ${count(stats.samplesSent)}, accepted ${count(stats.samplesAccepted)} in ${count(stats.batchesAccepted)} batches (202); 429s ${count(stats.throttled)}, retries ${count(stats.retries)}, errors ${count(stats.errors)}`,
    `simulator: faults injected ${stats.faultsInjected}${faults ? ` (${faults})` : ''}`,
  ];
}

interface Output {
  isTTY?: boolean;
  write(text: string): boolean;
}

/**
 * The live progress line: rewritten in place on a terminal, otherwise printed every few seconds.
 * Messages go above it; `once` prints a message the first time its kind is seen.
 */
export class ProgressReporter {
  private timer: NodeJS.Timeout | null = null;
  private drawn = false;
  private readonly seen = new Set<string>();
  private readonly startedAt = Date.now();

  constructor(
    private readonly stats: SimulatorStats,
    private readonly durationMs: number,
    private readonly out: Output = process.stdout,
    private readonly everyMs = 5000,
  ) {}

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  start(): void {
    if (this.timer) return;
    const tty = this.out.isTTY === true;
    this.timer = setInterval(() => this.draw(), tty ? 250 : this.everyMs);
    this.timer.unref();
  }

  /** A line above the progress line. */
  note(message: string): void {
    this.clear();
    this.out.write(`${message}\n`);
    this.draw(false);
  }

  /** Reports `message` the first time `kind` happens; later ones only count. */
  once(kind: string, message: string): void {
    if (this.seen.has(kind)) return;
    this.seen.add(kind);
    this.note(
      `simulator: ${message}${this.seen.size === 1 ? ' (each kind of problem is reported once)' : ''}`,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clear();
    this.out.write(`${this.line()}\n`);
  }

  private line(): string {
    return `simulator: ${formatProgress(this.stats, this.elapsedMs, this.durationMs)}`;
  }

  private draw(always = true): void {
    if (!this.timer) return;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${this.line()}`);
      this.drawn = true;
    } else if (always) {
      this.out.write(`${this.line()}\n`);
    }
  }

  private clear(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
