import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectPg } from '../../src/core/db/pgConnection';
import { introspect, introspectTargetOf, type IntrospectOptions } from '../../src/core/introspect';
import type { Inspection } from '../../src/core/model/types';
import type { TestDatabase } from './servers';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixtureSql(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/** Introspects a test database through the same connection code the CLI uses. */
export async function inspectDatabase(db: TestDatabase, options: Partial<IntrospectOptions> = {}): Promise<Inspection> {
  const connection = await connectPg(db.target);
  try {
    return await introspect(introspectTargetOf(connection), options);
  } finally {
    await connection.close();
  }
}
