// Convergence on the external corpus of schema pairs from other schema tools' test suites: for each
// pair whose two sides load, the plan from a to b (and from b to a) applies and leaves nothing to do.
// A side that does not load on a server is reported as pending with the server's first error.
import { corpusDir, casesFor, listCorpus, readCorpusCase } from '../../support/corpus';
import { runPsql } from '../../support/psql';
import { databaseOn, servers } from '../../support/servers';
import { declareCase } from './declare';

const dir = corpusDir();
const suites = listCorpus(dir);

if (suites.length === 0) {
  describe('plan convergence: external corpus', () => {
    it.skip(`skipped: no corpus at ${dir} (set PGDRIFT_CORPUS_DIR)`);
  });
}

for (const server of servers) {
  for (const suite of suites) {
    describe(`plan convergence: corpus ${suite.name} (${server.label})`, function () {
      before(async function () {
        this.timeout(180_000);
        if (!suite.roles) return;
        // Starts the server if needed; roles are cluster-wide, so any database will do.
        const db = await databaseOn(server);
        try {
          const result = await runPsql(db.url, suite.roles);
          if (!result.ok) throw new Error(`${suite.name}/ROLES.sql failed: ${result.firstError}`);
        } finally {
          await db.drop();
        }
      });
      for (const name of casesFor(suite, server.major)) {
        declareCase(server, {
          key: `corpus:${suite.name}/${name}`,
          title: name,
          labels: ['a→b', 'b→a'],
          load: () => readCorpusCase(suite, name),
        });
      }
    });
  }
}
