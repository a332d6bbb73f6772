// Shared Jest settings: CommonJS, ts-jest in transpile-only mode (typecheck is a separate step),
// tsconfig path aliases resolved by Nx's resolver. A few of msw's dependencies ship only ESM;
// they are transpiled to CommonJS as well.
const { join } = require('node:path');

module.exports = {
  testEnvironment: 'node',
  resolver: '@nx/jest/plugins/resolver',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: join(__dirname, 'tsconfig.spec.json') }],
    '^.+\\.m?js$': ['ts-jest', { tsconfig: join(__dirname, 'tsconfig.spec-js.json') }],
  },
  // node_modules stay untransformed except ES module files (.mjs), which are compiled to CommonJS.
  // until-async ships ESM in .js files.
  transformIgnorePatterns: ['/node_modules/(?!(.*\\.mjs$|until-async/))'],
  testEnvironmentOptions: { customExportConditions: ['node', 'require', 'default'] },
  testMatch: ['**/?(*.)+(spec|test).ts'],
  clearMocks: true,
  // generous: suites share 2 cores with builds and PostgreSQL; slow is not wrong, hanging is
  testTimeout: 30000,
};
