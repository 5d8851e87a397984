/** Options of introspection, with their one place of defaults. */
export interface IntrospectOptions {
  /** Read only these schemas (default: every user schema). */
  schemas?: readonly string[];
  /** Leave these schemas out. */
  excludeSchemas?: readonly string[];
  /** Per catalog query; a server busy enough to exceed it gets a clear error, not a hang. */
  statementTimeoutMs: number;
  /** How long to wait for a lock (pg_get_viewdef and friends lock the objects they print). */
  lockTimeoutMs: number;
}

export function introspectOptions(partial: Partial<IntrospectOptions> = {}): IntrospectOptions {
  return {
    statementTimeoutMs: 60_000,
    lockTimeoutMs: 10_000,
    ...partial,
  };
}
