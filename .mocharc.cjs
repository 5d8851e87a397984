// Tests are TypeScript run through tsx; the root hook stops every PostgreSQL cluster the
// acceptance tests started. Mocha adds spec files named on the command line to this list rather
// than replacing it, so the default list applies only when none are named.
const named = process.argv.slice(2).some((arg) => /\.test\.ts$|^test\//.test(arg));

module.exports = {
  require: ['tsx/cjs', 'test/support/hooks.ts'],
  extension: ['ts'],
  ...(named ? {} : { spec: ['test/unit/**/*.test.ts', 'test/acceptance/**/*.test.ts'] }),
  timeout: 120000,
  reporter: 'spec',
};
