// The scale test (tools/bench/scale/scale.scale.ts): built processes on PostgreSQL and Redis, a few
// minutes; its own phase of `npm test` (tools/test/run-all.mjs), not part of the unit run.
module.exports = { displayName: 'scale', preset: '../../jest.preset.js', rootDir: '.', testMatch: ['<rootDir>/scale/**/*.scale.ts'], testTimeout: 600000 };
