/** How many sessions pgdrift holds on a server: the tests' check that nothing stays open. */
import { withClient } from '../../tools/cluster';

/**
 * Sessions with application_name pgdrift, waiting up to `waitMs` for the count to reach 0: a
 * backend leaves pg_stat_activity a moment after its client closed the socket.
 */
export async function openPgdriftSessions(adminUrl: string, waitMs = 3000): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const count = await withClient(adminUrl, async (c) => {
      const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pgdrift' AND pid <> pg_backend_pid()");
      return Number(r.rows[0]?.n);
    });
    if (count === 0 || Date.now() >= deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
