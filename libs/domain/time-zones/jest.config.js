module.exports = {
  displayName: 'time-zones',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
