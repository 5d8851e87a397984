/**
 * The sample workspace `npm start` opens in VS Code for the Web: two connection profiles on the
 * sample cluster in .vscode/settings.json, the migrations folder mapped to the production one, the
 * mapping file the CLI sample uses, and a README saying what to click.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRODUCTION_PROFILE = 'production (sample)';
export const LOCAL_PROFILE = 'local (sample)';

export interface SampleServer {
  host: string;
  port: number;
  user: string;
  /** The database loaded from test/fixtures/erp/from.sql. */
  production: string;
  /** The database loaded from test/fixtures/erp/to.sql. */
  local: string;
}

/** The workspace settings: the profile schema of package.json (contributes.configuration). */
export function sampleSettings(server: SampleServer): Record<string, unknown> {
  const profile = (name: string, database: string, environment: string) =>
    // The cluster trusts the superuser on loopback: no password, so nothing for SecretStorage.
    ({ name, host: server.host, port: server.port, database, user: server.user, environment });
  return {
    'pgdrift.profiles': [
      profile(PRODUCTION_PROFILE, server.production, 'production'),
      profile(LOCAL_PROFILE, server.local, 'development'),
    ],
    'pgdrift.migrationTargets': { migrations: PRODUCTION_PROFILE },
  };
}

/**
 * The cast policy of the CLI sample (tools/sample.ts): production's `OvertimeSettings.id` holds
 * 'default', which is not a uuid; the policy maps it to a new one instead of failing the cast.
 */
const MAPPING = { casts: { 'public.OvertimeSettings.id': { invalid: 'map', map: { default: 'gen_random_uuid()' } } } };

function readme(server: SampleServer): string {
  return `# pgdrift sample

Two PostgreSQL 15 databases on this machine (127.0.0.1:${server.port}), loaded from pgdrift's ERP sample:

- **${PRODUCTION_PROFILE}**: database \`${server.production}\`, the older schema with its rows. Marked
  *production*: pgdrift asks for its database name before it writes to it.
- **${LOCAL_PROFILE}**: database \`${server.local}\`, the schema the application wants now.

Both profiles are in \`.vscode/settings.json\`; the server trusts loopback, so there is no password.

## What to click

1. Open **pgdrift** in the activity bar (left). **Databases** lists both profiles; the plug icon
   tests a connection.
2. In **Schema Differences**, click **Compare** (the compare icon in the view's title, or
   *pgdrift: Compare Databases…* in the command palette, F1). Pick **${PRODUCTION_PROFILE}** (the
   database to change), then **${LOCAL_PROFILE}** (the desired state). The tree lists every
   change; hazards are measured on production's rows (the legacy \`OvertimeSettings\` columns
   whose values would be lost). Click an object to see its DDL side by side; the plan opens in an editor.
3. Click **Generate Migration** (the new-file icon in the view's title): the plan is written to
   \`migrations/\`. The hazards that block it are marked in the file; the light bulb offers the
   fixes (accept a drop by name, and so on). \`pgdrift.mapping.json\` already maps the id
   \`'default'\` to a new uuid.
4. Right-click the file (or the \`migrations\` folder) and choose **Run Migration File…**.
   \`migrations/\` is mapped to **${PRODUCTION_PROFILE}** (setting \`pgdrift.migrationTargets\`), so
   it is offered first. **Rehearse** runs every phase and rolls back; **Run** commits phase by
   phase and asks for the database name \`${server.production}\`. **Open Phases Panel** (editor
   title) shows the phases and their checks.

The same with the CLI, in a terminal of the pgdrift checkout:

\`\`\`sh
node dist/cli.js diff --from postgres://${server.user}@${server.host}:${server.port}/${server.production} --to postgres://${server.user}@${server.host}:${server.port}/${server.local}
\`\`\`

Everything here is temporary: stopping \`npm start\` (Ctrl-C) removes this folder and both databases.
`;
}

/** Creates the workspace in `dir` (which must not hold one yet). */
export function writeSampleWorkspace(dir: string, server: SampleServer): void {
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'settings.json'), `${JSON.stringify(sampleSettings(server), null, 2)}\n`);
  writeFileSync(join(dir, 'pgdrift.mapping.json'), `${JSON.stringify(MAPPING, null, 2)}\n`);
  writeFileSync(join(dir, 'README.md'), readme(server));
}
