// Tests are TypeScript run through tsx; the root hooks start (and always stop) the private
// PostgreSQL clusters the acceptance tests need.
module.exports = {
  require: ['tsx/cjs', 'test/support/hooks.ts'],
  extension: ['ts'],
  spec: ['test/unit/**/*.test.ts', 'test/acceptance/**/*.test.ts'],
  timeout: 120000,
  reporter: 'spec',
};
