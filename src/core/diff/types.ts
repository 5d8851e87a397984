/**
 * Enums, domains and composite types.
 * - An enum only grows in place: ADD VALUE with BEFORE/AFTER keeps the desired order. A new label
 *   cannot be used in the transaction that added it ("unsafe use of new value"), so ADD VALUE runs
 *   on its own, committed before anything that might use it. Removing or reordering labels rebuilds
 *   the type (typeRebuild.ts).
 * - A domain changes default, NOT NULL and checks in place; a new base type or collation rebuilds it.
 * - A composite type adds, drops and retypes attributes in place.
 */
import type { CompositeType, DomainCheck, DomainType, EnumType } from '../model/types';
import type { Statement } from '../plan/types';
import { requirementsOf, type DiffContext } from './context';
import { alterStatement, createStatement, dropStatement, type Alteration, type KindDiffer } from './kind';
import { metadataAfterCreate, metadataChange } from './ownership';
import { literal, qualify, quoteIdent } from './sql';
import { domainCheckRows, domainColumns, domainScan } from './domainChecks';
import { rebuildType } from './typeRebuild';
import { hazard } from '../hazards/types';

function finish(
  keyword: string, name: string, id: string, from: EnumType | DomainType | CompositeType, to: EnumType | DomainType | CompositeType,
  ctx: DiffContext, statements: Statement[], details: string[],
): Alteration {
  const metadata = metadataChange(keyword, name, id, from, to, ctx);
  return { statements: [...statements, ...metadata.statements], details: [...details, ...metadata.details] };
}

function createEnum(e: EnumType, ctx: DiffContext): Statement[] {
  const name = qualify(e.schema, e.name);
  return [
    createStatement(`CREATE TYPE ${name} AS ENUM (${e.values.map(literal).join(', ')})`, e.id, { needs: requirementsOf(ctx.to, e.id) }),
    ...metadataAfterCreate('TYPE', name, e.id, e, ctx),
  ];
}

export const enums: KindDiffer<EnumType> = {
  list: (model) => model.enums,
  kind: () => 'enum',
  create: createEnum,
  drop: (e, ctx) => [dropStatement(`DROP TYPE ${qualify(e.schema, e.name)}`, e.id, { holds: requirementsOf(ctx.from, e.id) })],
  alter(from, to, ctx) {
    const name = qualify(to.schema, to.name);
    const statements: Statement[] = [];
    const details: string[] = [];
    if (from.values.join('\u0000') !== to.values.join('\u0000')) {
      const kept = to.values.filter((v) => from.values.includes(v));
      const inOrder = kept.length === from.values.length && kept.every((v, i) => from.values[i] === v);
      if (!inOrder) {
        const removed = from.values.filter((v) => !to.values.includes(v));
        return {
          statements: rebuildType('TYPE', to.schema, to.name, to.id, createEnum(to, ctx).slice(0, 1), ctx, removed),
          details: [removed.length ? `values removed: ${removed.join(', ')} (type rebuilt)` : 'values reordered (type rebuilt)'],
        };
      }
      for (let i = 0; i < to.values.length; i++) {
        const value = to.values[i] ?? '';
        if (from.values.includes(value)) continue;
        const previous = to.values[i - 1];
        const position = previous !== undefined ? ` AFTER ${literal(previous)}` : ` BEFORE ${literal(to.values[i + 1] ?? '')}`;
        statements.push(alterStatement(`ALTER TYPE ${name} ADD VALUE ${literal(value)}${position}`, to.id, {
          needs: [to.id], transactional: false,
          hazards: [hazard('TX-01', to.id, `ADD VALUE ${literal(value)} commits on its own: it stays if a later statement fails.`)],
        }));
        details.push(`value added: ${value}${previous !== undefined ? ` after ${previous}` : ' first'}`);
      }
    }
    return finish('TYPE', name, to.id, from, to, ctx, statements, details);
  },
};

function createDomain(d: DomainType, ctx: DiffContext): Statement[] {
  const name = qualify(d.schema, d.name);
  const parts = [`CREATE DOMAIN ${name} AS ${d.baseType}`];
  if (d.collation !== undefined) parts.push(`COLLATE ${d.collation}`);
  if (d.default !== undefined) parts.push(`DEFAULT ${d.default}`);
  if (d.notNull) parts.push('NOT NULL');
  for (const check of d.checks) parts.push(`CONSTRAINT ${quoteIdent(check.name)} ${check.definition}`);
  return [
    createStatement(parts.join(' '), d.id, { needs: requirementsOf(ctx.to, d.id) }),
    ...metadataAfterCreate('DOMAIN', name, d.id, d, ctx),
  ];
}

export const domains: KindDiffer<DomainType> = {
  list: (model) => model.domains,
  kind: () => 'domain',
  create: createDomain,
  drop: (d, ctx) => [dropStatement(`DROP DOMAIN ${qualify(d.schema, d.name)}`, d.id, { holds: requirementsOf(ctx.from, d.id) })],
  alter(from, to, ctx) {
    const name = qualify(to.schema, to.name);
    if (from.baseType !== to.baseType || from.collation !== to.collation) {
      return {
        statements: rebuildType('DOMAIN', to.schema, to.name, to.id, createDomain(to, ctx).slice(0, 1), ctx),
        details: [`base type: ${from.baseType} → ${to.baseType} (domain rebuilt)`],
      };
    }
    const statements: Statement[] = [];
    const details: string[] = [];
    const alter = (clause: string, extra: Partial<Statement> = {}) =>
      statements.push(alterStatement(`ALTER DOMAIN ${name} ${clause}`, to.id, { needs: [to.id], ...extra }));
    if (from.default !== to.default) {
      alter(to.default === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${to.default}`, { needs: [to.id, ...requirementsOf(ctx.to, to.id)] });
      details.push(to.default === undefined ? 'default removed' : `default ${to.default}`);
    }
    // Checking a new constraint reads every column of the domain (domainChecks.ts).
    const users = domainColumns(from, ctx);
    const scans = (clause: string, check?: DomainCheck): Partial<Statement> => (users.length
      ? { hazards: [...(check ? domainCheckRows(to, check, users, ctx) : []), domainScan(to, clause, users)] }
      : {});
    if (from.notNull !== to.notNull) {
      alter(to.notNull ? 'SET NOT NULL' : 'DROP NOT NULL', to.notNull ? scans('SET NOT NULL') : {});
      details.push(to.notNull ? 'NOT NULL added' : 'NOT NULL removed');
    }
    for (const check of from.checks) {
      const same = to.checks.find((c) => c.name === check.name);
      if (same && same.definition === check.definition) continue;
      alter(`DROP CONSTRAINT ${quoteIdent(check.name)}`, { holds: requirementsOf(ctx.from, to.id) });
      details.push(`check ${check.name} removed`);
    }
    for (const check of to.checks) {
      const same = from.checks.find((c) => c.name === check.name);
      const validate = `VALIDATE CONSTRAINT ${quoteIdent(check.name)}`;
      if (same && same.definition === check.definition) {
        if (!same.validated && check.validated) alter(validate, scans(validate, check));
        continue;
      }
      const add = `ADD CONSTRAINT ${quoteIdent(check.name)}`;
      const needs = [to.id, ...requirementsOf(ctx.to, to.id)];
      if (!check.validated) {
        alter(`${add} ${check.definition}`, { needs });
      } else if (ctx.options.online && users.length) {
        // As for a table's CHECK (constraints.ts): NOT VALID checks only new values from now on;
        // the stored ones are checked in the validate phase, a later transaction.
        alter(`${add} ${check.definition} NOT VALID`, { needs });
        alter(validate, { phase: 'validate', ...scans(validate, check) });
      } else {
        alter(`${add} ${check.definition}`, { needs, ...scans(add, check) });
      }
      details.push(`check ${check.name} added`);
    }
    return finish('DOMAIN', name, to.id, from, to, ctx, statements, details);
  },
};

export const composites: KindDiffer<CompositeType> = {
  list: (model) => model.composites,
  kind: () => 'type',
  create(t, ctx) {
    const name = qualify(t.schema, t.name);
    const attributes = t.attributes.map((a) => `${quoteIdent(a.name)} ${a.type}${a.collation !== undefined ? ` COLLATE ${a.collation}` : ''}`);
    return [
      createStatement(`CREATE TYPE ${name} AS (${attributes.join(', ')})`, t.id, { needs: requirementsOf(ctx.to, t.id) }),
      ...metadataAfterCreate('TYPE', name, t.id, t, ctx),
    ];
  },
  drop: (t, ctx) => [dropStatement(`DROP TYPE ${qualify(t.schema, t.name)}`, t.id, { holds: requirementsOf(ctx.from, t.id) })],
  alter(from, to, ctx) {
    const name = qualify(to.schema, to.name);
    const clauses: string[] = [];
    const details: string[] = [];
    for (const a of from.attributes) if (!to.attributes.some((b) => b.name === a.name)) {
      clauses.push(`DROP ATTRIBUTE ${quoteIdent(a.name)}`);
      details.push(`attribute ${a.name} removed`);
    }
    for (const b of to.attributes) {
      const a = from.attributes.find((x) => x.name === b.name);
      const typeText = `${b.type}${b.collation !== undefined ? ` COLLATE ${b.collation}` : ''}`;
      if (!a) {
        clauses.push(`ADD ATTRIBUTE ${quoteIdent(b.name)} ${typeText}`);
        details.push(`attribute ${b.name} added`);
      } else if (a.type !== b.type || a.collation !== b.collation) {
        clauses.push(`ALTER ATTRIBUTE ${quoteIdent(b.name)} TYPE ${typeText}`);
        details.push(`attribute ${b.name}: ${a.type} → ${b.type}`);
      }
    }
    const statements: Statement[] = clauses.length
      ? [alterStatement(`ALTER TYPE ${name} ${clauses.join(', ')}`, to.id, {
        needs: [to.id, ...requirementsOf(ctx.to, to.id)], holds: requirementsOf(ctx.from, to.id),
      })]
      : [];
    return finish('TYPE', name, to.id, from, to, ctx, statements, details);
  },
};
