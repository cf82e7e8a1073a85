import { loadEnv } from '@tautline/config';
import { createDataSource } from '../data-source';
import { ensureDatabaseExists } from './ensure-database';

/** `pnpm db:migrate`: creates the database if needed and applies pending migrations. */
async function main(): Promise<void> {
  const env = loadEnv();
  await ensureDatabaseExists(env.DATABASE_URL);
  const ds = createDataSource({
    url: env.DATABASE_URL,
    poolSize: 1,
    applicationName: 'tautline:migrate',
  });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(
      applied.length
        ? `migrations applied: ${applied.map((m) => m.name).join(', ')}`
        : 'database is up to date',
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
