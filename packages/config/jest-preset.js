// Shared Jest setup: SWC transpiles TypeScript (with decorator metadata for Nest) and
// workspace packages resolve to their sources, so tests never need a prior build.
const path = require('node:path');

const packagesDir = path.resolve(__dirname, '..');

// Dependencies published as ESM only; SWC turns them into CommonJS for Jest on Node 20.
const ESM_ONLY = ['content-disposition'];

module.exports = function jestPreset(overrides = {}) {
  return {
    testEnvironment: 'node',
    testTimeout: 30_000,
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
    transform: {
      '^.+\\.(t|j)sx?$': [
        require.resolve('@swc/jest'),
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true, tsx: true },
            transform: {
              legacyDecorator: true,
              decoratorMetadata: true,
              react: { runtime: 'automatic' },
            },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${ESM_ONLY.join('|')})[@/])`],
    moduleNameMapper: {
      '^@tautline/(domain|db|queues|config)$': `${packagesDir}/$1/src`,
      '^@tautline/(domain|db|queues|config)/(.*)$': `${packagesDir}/$1/src/$2`,
    },
    ...overrides,
  };
};
