import 'reflect-metadata';
import { loadEnv } from '@tautline/config';
import { createWorkerContext } from './worker.factory';

async function main(): Promise<void> {
  const env = loadEnv();
  await createWorkerContext(env);
  console.warn('worker running: queues notices, reminders, telemetry; device watchdog on');
}

main().catch((err: unknown) => {
  console.error(`worker failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
