import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectPg } from '../../src/core/db/pgConnection';
import { describeTarget } from '../../src/core/db/target';
import { introspect } from '../../src/core/introspect';
import type { Inspection } from '../../src/core/model/types';
import type { TestDatabase } from './servers';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixtureSql(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/** Introspects a test database through the same connection code the CLI uses. */
export async function inspectDatabase(db: TestDatabase): Promise<Inspection> {
  const connection = await connectPg(db.target);
  try {
    return await introspect({ db: connection, where: describeTarget(db.target), database: db.name });
  } finally {
    await connection.close();
  }
}
