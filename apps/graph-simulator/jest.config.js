module.exports = {
  displayName: 'graph-simulator',
  preset: '../../jest.preset.js',
  rootDir: '.',
};
