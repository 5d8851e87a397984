// Mocha root hook: every cluster started during the run stops after the last test, also when tests
// fail; tools/cluster.ts stops them on an abnormal exit too.
import { stopServers } from './servers';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopServers();
  },
};
