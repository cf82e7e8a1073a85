import { loadEnv } from '@tautline/config';
import { createDataSource } from '../data-source';
import { DEMO_PASSWORD, DEMO_USERS } from '../seed/demo-data';
import { seedDemo } from '../seed/demo.seed';

/** `pnpm db:seed`: writes the demo organisation (idempotent). */
async function main(): Promise<void> {
  const env = loadEnv();
  const ds = createDataSource({
    url: env.DATABASE_URL,
    poolSize: 1,
    applicationName: 'tautline:seed',
  });
  await ds.initialize();
  try {
    const seeded = await seedDemo(ds);
    console.log(
      `demo organisation seeded: ${Object.keys(seeded.clinicIds).length} clinics, ${DEMO_USERS.length} users`,
    );
    console.log(
      `demo logins (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((u) => `${u.email} (${u.role})`).join(', ')}`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
