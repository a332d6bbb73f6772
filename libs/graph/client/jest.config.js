module.exports = {
  displayName: 'graph-client',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
