// One lint config for the monorepo. Besides the usual rules it enforces the architecture:
// apps never import other apps, and the domain package stays free of I/O frameworks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const APPS = ['api', 'worker', 'dashboard', 'simulator'];
const appImport = (self) =>
  APPS.filter((a) => a !== self).flatMap((a) => [`@tautline/${a}`, `@tautline/${a}/*`]);

const noImports = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      'tests/artifacts/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  // Nest needs runtime class references for dependency injection; type-only imports would erase them.
  {
    files: ['apps/api/**/*.ts', 'apps/worker/**/*.ts', 'packages/db/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  ...APPS.map((app) => ({
    files: [`apps/${app}/**/*.{ts,tsx}`],
    rules: noImports(
      [...appImport(app), '../../*/src/*', '../../../apps/*'],
      'Apps never import other apps: move shared code to a package.',
    ),
  })),
  {
    files: ['packages/domain/**/*.ts'],
    rules: noImports(
      [
        '@nestjs/*',
        'typeorm',
        'typeorm/*',
        'ioredis',
        'bullmq',
        'pg',
        'socket.io',
        'node:*',
        'fs',
        'http',
        '@tautline/db',
        '@tautline/queues',
        ...APPS.map((a) => `@tautline/${a}`),
      ],
      'packages/domain is pure: no Nest, no TypeORM, no I/O.',
    ),
  },
  {
    files: ['packages/**/*.ts'],
    ignores: ['packages/domain/**'],
    rules: noImports(
      ['@tautline/api', '@tautline/worker', '@tautline/dashboard', '@tautline/simulator'],
      'Packages never import apps.',
    ),
  },
  {
    files: [
      'apps/simulator/**/*.ts',
      'tests/**/*.ts',
      'packages/db/src/cli/**/*.ts',
      'infra/**/*.ts',
    ],
    rules: { 'no-console': 'off' },
  },
);
