module.exports = {
  displayName: 'graph-simulator-lib',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
