import { z } from 'zod';

// zod compiles object parsers with `new Function` when it may; under the dashboard's CSP (no
// 'unsafe-eval') its probe is a reported violation. The interpreted parsers give the same results.
// Imported first by main.tsx, before any schema parses.
z.config({ jitless: true });
