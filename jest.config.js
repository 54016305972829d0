// Two projects: `unit` (no I/O, beside the code as *.spec.ts) and `integration` (real Postgres,
// Redis and the embedded Kafka broker; *.int-spec.ts beside the code and test/**/*.e2e-spec.ts).
const fs = require('node:fs');
const path = require('node:path');

const swcOptions = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcOptions.$schema;

const moduleNameMapper = {
  '^@tracker/([a-z-]+)$': '<rootDir>/libs/$1/src',
  '^@tracker/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  // Two workers on the two-core machines we build on: the integration suites mostly wait on
  // sockets, child processes and consumer-group rounds, so a second worker nearly halves the
  // run (a whole run measured 860 s with one worker, 508 s with two, on the same loaded machine).
  // Suites running side by side keep apart: each has its own database schema, Redis key prefix
  // and group ids; a suite whose service acts on what it reads and re-publishes it (shipment-
  // service's inbound topics) has topics of its own too (KAFKA_TOPIC_PREFIX).
  maxWorkers: 2,
  // No forceExit: every suite closes what it opened, so the run ends by itself; one that hangs
  // after its results names a leak to hunt with `npx jest --detectOpenHandles <path>`.
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{apps,libs,scripts}/**/*.int-spec.ts',
        '<rootDir>/test/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.js',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest/integration-timeout.ts'],
    },
  ],
};
