import 'reflect-metadata';
import { loadEnv } from '@tautline/config';
import { createApp } from './app.factory';

async function main(): Promise<void> {
  const env = loadEnv();
  const app = await createApp(env);
  await app.listen(env.API_PORT, env.API_HOST);
  console.warn(`api listening on http://${env.API_HOST}:${env.API_PORT} (docs /api/docs)`);
}

main().catch((err: unknown) => {
  console.error(`api failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
