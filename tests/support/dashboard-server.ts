import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

const DASHBOARD_DIR = path.resolve(__dirname, '../../apps/dashboard');
const START_TIMEOUT_MS = 30_000;

/*
 * Runs Vite's preview() in a child Node process: Vite 7 is ESM-only and Jest on Node 20 cannot load
 * ESM in its module registry. The child reads the dashboard's own vite.config.ts (same proxy as in
 * development), with API_URL as the proxy target and port 0 so the OS picks a free port.
 * It exits when its stdin closes, so a killed Jest run does not leave it behind.
 */
const PREVIEW_SCRIPT = `
import { preview } from 'vite';
const server = await preview({
  root: process.cwd(),
  configFile: 'vite.config.ts',
  logLevel: 'warn',
  preview: { port: 0, strictPort: true, host: '127.0.0.1' },
});
const address = server.httpServer.address();
process.stdout.write(JSON.stringify({ port: address.port }) + '\\n');
let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  server.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
`;

/** Serves the built apps/dashboard/dist on a free port, proxying /api and /socket.io to apiUrl. */
export async function startDashboard(apiUrl: string): Promise<DashboardServer> {
  if (!existsSync(path.join(DASHBOARD_DIR, 'dist', 'index.html'))) {
    throw new Error(
      'apps/dashboard/dist is missing: run `pnpm turbo run build --filter=@tautline/dashboard` first',
    );
  }
  const child = spawn(process.execPath, ['--input-type=module', '-e', PREVIEW_SCRIPT], {
    cwd: DASHBOARD_DIR,
    env: { ...process.env, API_URL: apiUrl, DASHBOARD_PORT: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => fail(`did not start within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`vite preview ${why}\n${stderr}`));
    }
    const onEarlyExit = (code: number | null) => fail(`exited with code ${code}`);
    child.once('exit', onEarlyExit);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
