module.exports = { displayName: 'bench', preset: '../../jest.preset.js', rootDir: '.', testMatch: ['<rootDir>/**/*.spec.ts'] };
