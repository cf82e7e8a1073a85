#!/usr/bin/env node
import { parseArgs, USAGE, UsageError } from './cli-options';

/** Checks the API a simulated device would stream to; device streaming arrives with live sessions. */
async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const res = await fetch(new URL('/api/health', options.api));
  const body = (await res.json()) as { status: string; checks: Record<string, { status: string }> };
  const checks = Object.entries(body.checks)
    .map(([name, c]) => `${name} ${c.status}`)
    .join(', ');
  console.log(`simulator: ${options.api} is ${body.status} (${checks})`);
  return res.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : `simulator: ${(err as Error).message}`);
    process.exit(2);
  },
);
