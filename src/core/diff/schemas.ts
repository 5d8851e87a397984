/**
 * Schemas and extensions. An extension is created with IF NOT EXISTS in the schema it lives in,
 * at the version the desired database runs; a version change is ALTER EXTENSION … UPDATE TO.
 */
import type { Extension, ObjectId, Schema } from '../model/types';
import { commentAfterCreate, commentChange } from './comments';
import { createStatement, dropStatement, alterStatement, type KindDiffer } from './kind';
import { metadataAfterCreate, metadataChange } from './ownership';
import { literal, quoteIdent } from './sql';
import { ids } from '../model/ids';
import { hazard, type Hazard } from '../hazards/types';

export const schemas: KindDiffer<Schema> = {
  list: (model) => model.schemas,
  kind: () => 'schema',
  create: (s, ctx) => [
    createStatement(`CREATE SCHEMA ${quoteIdent(s.name)}`, s.id),
    ...metadataAfterCreate('SCHEMA', quoteIdent(s.name), s.id, s, ctx),
  ],
  drop: (s) => [dropStatement(`DROP SCHEMA ${quoteIdent(s.name)}`, s.id)],
  alter: (from, to, ctx) => metadataChange('SCHEMA', quoteIdent(to.name), to.id, from, to, ctx),
};

export const extensions: KindDiffer<Extension> = {
  list: (model) => model.extensions,
  kind: () => 'extension',
  create: (e, ctx) => [
    // An empty version is the server's default (an extension SQL files create without VERSION).
    createStatement(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}${e.version ? ` VERSION ${literal(e.version)}` : ''}`, e.id, {
      needs: [ids.schema(e.schema)],
    }),
    ...commentAfterCreate(`EXTENSION ${quoteIdent(e.name)}`, e.id, e.comment, ctx),
  ],
  drop: (e) => [dropStatement(`DROP EXTENSION ${quoteIdent(e.name)}`, e.id, {
    holds: [ids.schema(e.schema)],
    hazards: [droppedExtension(e.id, e.name, e.version)],
  })],
  alter(from, to, ctx) {
    const statements = [];
    const details: string[] = [];
    if (from.schema !== to.schema) {
      statements.push(alterStatement(`ALTER EXTENSION ${quoteIdent(to.name)} SET SCHEMA ${quoteIdent(to.schema)}`, to.id, { needs: [ids.schema(to.schema)] }));
      details.push(`schema: ${from.schema} → ${to.schema}`);
    }
    if (from.version !== to.version) {
      statements.push(alterStatement(`ALTER EXTENSION ${quoteIdent(to.name)} UPDATE TO ${literal(to.version)}`, to.id, {
        needs: [to.id],
        hazards: [updatedExtension(to.id, to.name, from.version, to.version)],
      }));
      details.push(`version: ${from.version} → ${to.version}`);
    }
    const comment = commentChange(`EXTENSION ${quoteIdent(to.name)}`, to.id, from.comment, to.comment, ctx);
    return { statements: [...statements, ...comment.statements], details: [...details, ...comment.details] };
  },
};

/** CP-07 for DROP EXTENSION. */
export function droppedExtension(id: ObjectId, name: string, version: string): Hazard {
  return hazard('CP-07', id, `Dropping extension ${name}${version ? ` ${version}` : ''} removes its functions, types and operators: application queries that still call them fail afterwards, so make sure nothing uses them before the plan runs.`);
}

/** CP-07 for ALTER EXTENSION … UPDATE (`to` undefined: the server's default version). */
export function updatedExtension(id: ObjectId, name: string, from: string, to: string | undefined): Hazard {
  return hazard('CP-07', id, `Updating extension ${name} from ${from} to ${to ?? 'its default version'} runs its upgrade scripts, which may change or remove functions, types and operators in use: read the extension's release notes for that step before running it.`);
}
