// Component tests run in jsdom; the shared preset transpiles TSX with SWC and maps workspace packages to sources.
// A fixed TZ keeps the browser-local times (last live update) deterministic; clinic times use their own zones.
process.env.TZ = 'UTC';

const preset = require('@tautline/config/jest-preset');

module.exports = preset({
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['<rootDir>/src/testing/testing.setup.ts'],
  moduleNameMapper: {
    ...preset().moduleNameMapper,
    '\\.css$': '<rootDir>/src/testing/style.stub.ts',
  },
});
