// Jest loads global setup outside its module registry, so jest.config.js's moduleNameMapper
// (the @tracker/* aliases) does not apply here; tsconfig-paths resolves them from tsconfig.json.
require('tsconfig-paths/register');
module.exports = require('./setup-test-run.ts').default;
