/** The PostgreSQL server the suites may use, passed to them in PGDRIFT_VSCODE_PG (see harness.ts). */
import { startCluster, type Cluster } from '../../../tools/cluster';

export interface SuitePostgres {
  /** PostgreSQL major (or "external") → superuser URL. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

/** PGDRIFT_TEST_URL when set, else a private cluster of PGDRIFT_TEST_PG's first major (default 15). */
export async function startSuitePostgres(log: (line: string) => void): Promise<SuitePostgres> {
  const external = process.env.PGDRIFT_TEST_URL;
  if (external) return { urls: { external }, stop: async () => undefined };
  const major = Number((process.env.PGDRIFT_TEST_PG ?? '15').split(',')[0]);
  const cluster: Cluster = await startCluster(major);
  log(`PostgreSQL ${major} on 127.0.0.1:${cluster.port}`);
  return { urls: { [String(major)]: cluster.url() }, stop: () => cluster.stop() };
}
