module.exports = {
  displayName: 'rate-limiter',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
