module.exports = { displayName: 'workspace-checks', preset: '../../jest.preset.js', rootDir: '.', testTimeout: 120000 };
