/**
 * How a side's server is named in headers: "PostgreSQL 15.18" (the distribution's suffix left
 * out), or "PostgreSQL 18.7 in PGlite 0.5.17" for SQL files loaded into the embedded database.
 */
export function serverLabel(serverVersion: string): string {
  const version = serverVersion.split(' ')[0] ?? serverVersion;
  const embedded = /\((PGlite [^)]*)\)/.exec(serverVersion)?.[1];
  return `PostgreSQL ${version}${embedded ? ` in ${embedded}` : ''}`;
}
