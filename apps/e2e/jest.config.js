// Full-stack journeys: the built services run as processes against the standalone HTTPS
// simulator, exactly as `npm start` runs them. E2E_DATABASE=sqlite|postgres picks the databases.
module.exports = {
  displayName: 'e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['**/*.e2e.ts'],
  globalSetup: '<rootDir>/src/support/global-setup.js',
  globalTeardown: '<rootDir>/src/support/global-teardown.js',
  testTimeout: 120000,
};
