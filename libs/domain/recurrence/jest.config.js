module.exports = {
  displayName: 'recurrence',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
