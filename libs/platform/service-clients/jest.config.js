module.exports = {
  displayName: 'service-clients',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
