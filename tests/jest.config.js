// Whole-system tests: they start the built apps as processes, so `turbo test` builds them first.
module.exports = require('@tautline/config/jest-preset')({
  testMatch: ['<rootDir>/e2e/**/*.spec.ts', '<rootDir>/browser/**/*.spec.ts'],
  testTimeout: 60_000,
  // Browser tests each start a stack and a Chromium: two at once is what 2 cores bear.
  maxWorkers: 2,
});
