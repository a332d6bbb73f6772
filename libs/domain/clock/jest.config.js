module.exports = {
  displayName: 'clock',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
