// See global-setup.js for why the aliases are registered here.
require('tsconfig-paths/register');
module.exports = require('./teardown-test-run.ts').default;
