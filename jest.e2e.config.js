// `npm run test:e2e`: the browser tests (test/e2e/*.e2e.ts). One story in order, one browser, one bot: in band.
// The bot brings its own embedded database, so the suite's database templates (globalSetup) are not needed.
const base = { ...require('./jest.config.js') };
delete base.globalSetup;
delete base.globalTeardown;

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testTimeout: 180000,
  maxWorkers: 1,
};
