import { writeFileSync } from 'node:fs';
import { type Failure } from './response.checks';

export interface FindingGroup {
  key: string;
  count: number;
  examples: Failure[];
}

/** Failures grouped by operation, mutation family and problem, most frequent problem first. */
export function groupFailures(failures: Failure[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of failures) {
    const g = groups.get(f.key) ?? { key: f.key, count: 0, examples: [] };
    g.count++;
    const distinct = !g.examples.some(
      (e) => e.mutation === f.mutation && e.target === f.target && e.status === f.status,
    );
    if (g.examples.length < 3 && distinct) g.examples.push(f);
    groups.set(f.key, g);
  }
  return [...groups.values()].sort(
    (a, b) => problemOf(a).localeCompare(problemOf(b)) || a.key.localeCompare(b.key),
  );
}

const problemOf = (g: FindingGroup) => g.examples[0]?.problem ?? '';

/** One line per group, for the assertion message: what, how, which status, the body's first bytes. */
export function summarise(groups: FindingGroup[], limit = 60): string {
  const lines = groups.slice(0, limit).map((g) => {
    const e = g.examples[0]!;
    return `${e.operation} | ${e.mutation}${e.target ? ` @${e.target}` : ''} | as ${e.who} | ${e.problem} | ${e.status} ${e.body.slice(0, 100)} (×${g.count}, #${e.index})`;
  });
  if (groups.length > limit) lines.push(`… and ${groups.length - limit} more groups`);
  return lines.join('\n');
}

export interface RunInfo {
  seed: number;
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  perOperation: Record<string, number>;
  docGaps: string[];
}

/** The findings for the engineers fixing validation (rewritten on every run). */
export function writeFindings(file: string, groups: FindingGroup[], info: RunInfo): void {
  const byProblem = new Map<string, FindingGroup[]>();
  for (const g of groups) byProblem.set(problemOf(g), [...(byProblem.get(problemOf(g)) ?? []), g]);
  const out = [
    `# OpenAPI fuzz findings (${new Date().toISOString()})`,
    '',
    `Seed ${info.seed} (re-run: \`FUZZ_SEED=${info.seed} pnpm exec jest e2e/openapi-fuzz\` in tests/), ${info.requests} requests in ${info.seconds.toFixed(0)} s.`,
    `Statuses: ${Object.entries(info.statuses)
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(', ')}`,
    '',
    groups.length ? `${groups.length} distinct failures:` : 'No failures.',
  ];
  for (const [problem, list] of byProblem) {
    out.push(
      '',
      `## ${problem} (${list.length})`,
      '',
      '| operation | mutation @ field | as | status | answer (first bytes) | count | example: url, body sent |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const g of list) {
      for (const e of g.examples) {
        const cell = (s: string) => s.replace(/\|/g, '\\|');
        out.push(
          `| ${cell(e.operation)} | ${cell(e.mutation)}${e.target ? ` @ ${cell(e.target)}` : ''} | ${e.who} | ${e.status} | \`${cell(e.body.slice(0, 120))}\` | ${g.count} | \`${cell(e.url.slice(0, 100))}\` \`${cell(e.sent.slice(0, 80))}\` (#${e.index}) |`,
        );
      }
    }
  }
  if (info.docGaps.length)
    out.push(
      '',
      '## OpenAPI document gaps (not failures)',
      '',
      ...info.docGaps.map((g) => `- ${g}`),
    );
  out.push(
    '',
    '## Requests per operation',
    '',
    ...Object.entries(info.perOperation)
      .sort()
      .map(([k, n]) => `- ${k}: ${n}`),
  );
  writeFileSync(file, `${out.join('\n')}\n`);
}
