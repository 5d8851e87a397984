/**
 * A column's type change as the plan writes it: the USING expression (or none, when the assignment
 * cast is the safe one), the column's cast policy, and the value hazards with what a probe should
 * look at (the rules are in hazards/typeEffects.ts).
 */
import type { Column, EnumType, Table } from '../model/types';
import type { Statement } from '../plan/types';
import { CREATE_TRY_CAST, UUID_PATTERN, castMethod, castableSql, enumLabelSql, type CastMethod } from '../hazards/measure/casts';
import { INTEGERS, typeChangeEffects } from '../hazards/typeEffects';
import { hazard, type Hazard, type ProbeTarget } from '../hazards/types';
import { columnId, type DiffContext, type ModelIndex } from './context';
import { literal, qualify, quoteIdent } from './sql';

/**
 * The ALTER … TYPE of one column: its USING expression (none when the assignment cast is the
 * safe one), what must run before it (the try-cast function of a cast policy on PostgreSQL < 16),
 * and the value hazards with what a probe should look at.
 */
export interface TypeChangePlan {
  using?: string;
  before: Statement[];
  hazards: Hazard[];
}

export const TRY_CAST_ID = `function:"pg_temp"."pgdrift_castable"(text, text)`;

export function planTypeChange(fromTable: Table, table: Table, a: Column, b: Column, ctx: DiffContext): TypeChangePlan {
  const id = columnId(table.id, b.name);
  const col = quoteIdent(b.name);
  const toEnum = enumOf(ctx.to, id);
  const fromEnum = enumOf(ctx.from, id) !== undefined;
  const plain = plainCast(col, a, b, fromEnum || toEnum !== undefined);
  if (a.type === b.type) return { using: plain, before: [], hazards: [] };
  const effects = typeChangeEffects(a.type, b.type, col, { fromEnum, toEnum: toEnum !== undefined });
  const name = `${qualify(table.schema, table.name)}.${col}`;
  const base: ProbeTarget = { table: qualify(table.schema, table.name), column: col, cast: { from: a.type, to: b.type }, ...keyOf(fromTable, ctx) };
  const hazards: Hazard[] = [];
  let using: string | undefined = effects.assignmentOnly ? undefined : plain;
  let before: Statement[] = [];
  if (effects.noCast) {
    // No probe can help: the statement fails before reading a row. Blocking, stated.
    const byHand = b.type.endsWith('[]') ? `USING ARRAY[${col}]` : `USING ${col}[1]`;
    hazards.push(hazard('FL-03', id, `${name}: PostgreSQL has no cast from ${a.type} to ${b.type}, so ALTER … TYPE fails whatever the values, even on an empty table: convert the column by hand (for instance ${byHand}) or keep its type. Not measured: no value can make it pass.`));
  } else if (effects.inputCast) {
    const cast = castWithPolicy(plain, base, table, b, toEnum, ctx);
    using = cast.using;
    before = cast.before;
    hazards.push({ ...hazard('FL-03', id, `${name}: changing ${a.type} to ${b.type} fails if a value cannot be cast.`, cast.target), ...cast.accepted });
  }
  if (effects.overflow) hazards.push(hazard('FL-04', id, `${name}: ALTER … TYPE ${b.type} fails if a value does not fit.`, { ...base, where: effects.overflow }));
  if (effects.rounds) hazards.push(hazard('DL-08', id, `${name}: casting to ${b.type} rounds or cuts values without an error.`, { ...base, where: effects.rounds }));
  const recast = defaultRecast(id, name, a, b, toEnum);
  if (recast) hazards.push(recast);
  return { ...(using !== undefined ? { using } : {}), before, hazards };
}

/** The enum a column's type is (or is an array of) on one side, from pg_depend. */
function enumOf(index: ModelIndex, id: string): EnumType | undefined {
  const dep = (index.dependsOn.get(id) ?? []).find((d) => d.to.startsWith('enum:'));
  return dep ? index.model.enums.find((e) => e.id === dep.to) : undefined;
}

/**
 * The plain cast. An enum has no cast to another enum (or from most types other than text), so a
 * change to or from an enum goes through text: 'open'::old → 'open' → new.
 */
function plainCast(col: string, a: Column, b: Column, viaText: boolean): string {
  if (!viaText) return `${col}::${b.type}`;
  return `${col}::${textOf(a, b)}::${b.type}`;
}

function textOf(a: Column, b: Column): string {
  return a.type.endsWith('[]') && b.type.endsWith('[]') ? 'text[]' : 'text';
}

function keyOf(table: Table, ctx: DiffContext): { key?: string[] } {
  const pk = ctx.from.model.constraints.find((c) => c.table === table.id && c.kind === 'primary key');
  return pk ? { key: pk.columns.map(quoteIdent) } : {};
}

/** server_version_num of the from-database when the caller said; otherwise SQL every version runs. */
export function fromServerVersion(ctx: DiffContext): number | undefined {
  return ctx.options.serverVersionNum;
}

interface PolicyCast {
  using: string;
  before: Statement[];
  target: ProbeTarget;
  accepted: Partial<Pick<Hazard, 'accepted' | 'remedy'>>;
}

/**
 * The cast under the column's policy (DiffOptions.casts): `fail` casts plainly, so an invalid
 * value stops the ALTER; `null` casts only values the type accepts; `map` replaces the listed
 * values by their expressions and casts the others plainly. `target.where` selects exactly the
 * rows the policy rewrites (the backup copies them), alias `t`.
 */
function castWithPolicy(plain: string, base: ProbeTarget, table: Table, b: Column, toEnum: EnumType | undefined, ctx: DiffContext): PolicyCast {
  const col = base.column ?? '';
  const policy = ctx.options.casts[`${table.schema}.${table.name}.${b.name}`] ?? { invalid: 'fail' };
  const method = castMethod(b.type, fromServerVersion(ctx));
  const valid = castValidity(b.type, method, toEnum?.values);
  const invalidRows = invalidRowsSql(col, valid);
  if (policy.invalid === 'fail') {
    // For an enum the diff knows the labels, which the from-database may not have yet.
    return { using: plain, before: [], target: toEnum ? { ...base, where: invalidRows } : base, accepted: {} };
  }
  const before = !toEnum && method === 'try-cast' ? [tryCastStatement()] : [];
  if (policy.invalid === 'null') {
    return {
      using: nullPolicyUsing(col, plain, valid), before, target: { ...base, where: invalidRows },
      accepted: { accepted: 'policy', remedy: `Values that cannot be cast to ${b.type} become NULL.` },
    };
  }
  const entries = Object.entries(policy.map);
  const whens = entries.map(([value, expr]) => `WHEN ${literal(value)} THEN ${expr}`).join(' ');
  return {
    using: `CASE ${col}::text ${whens} ELSE ${plain} END`, before: [], target: { ...base, where: `t.${col}::text IN (${entries.map(([v]) => literal(v)).join(', ')})` },
    accepted: { accepted: 'policy', remedy: `${entries.map(([v, expr]) => `${literal(v)} becomes ${expr}`).join(', ')}.` },
  };
}

/** A test (over a column reference) that a value is accepted by `type`: a label of the enum when its labels are given. */
export function castValidity(type: string, method: CastMethod, enumLabels?: readonly string[]): (ref: string) => string {
  const array = type.endsWith('[]');
  return (ref) => enumLabels
    ? enumLabelSql(`${ref}::${array ? 'text[]' : 'text'}`, enumLabels, array)
    : castableSql(`${ref}::text`, type, method);
}

/** The rows (alias t) holding a value `valid` rejects: the rows the `null` policy rewrites. */
export function invalidRowsSql(col: string, valid: (ref: string) => string): string {
  return `t.${col} IS NOT NULL AND NOT ${valid(`t.${col}`)}`;
}

/** The `null` cast policy's USING: values the type accepts cast plainly, the others NULL. */
export function nullPolicyUsing(col: string, plain: string, valid: (ref: string) => string): string {
  return `CASE WHEN ${valid(col)} THEN ${plain} END`;
}

/** CREATE of the try-cast function, in preflight so the backup's predicate can call it too. */
function tryCastStatement(): Statement {
  return { sql: CREATE_TRY_CAST, object: TRY_CAST_ID, action: 'create', phase: 'preflight', creates: [TRY_CAST_ID] };
}

/** `'open'::text` → the literal's value and its cast, for a default that is a plain literal. */
function literalDefault(expression: string | undefined): { value: string; type?: string } | undefined {
  const match = /^'((?:[^']|'')*)'(?:::(.+))?$/.exec(expression ?? '');
  if (!match) return undefined;
  return { value: (match[1] ?? '').replace(/''/g, "'"), ...(match[2] ? { type: match[2] } : {}) };
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** Whether the new type takes a literal, when that can be told without a server; else undefined. */
function literalCasts(value: string, type: string, toEnum: EnumType | undefined): boolean | undefined {
  if (toEnum) return toEnum.values.includes(value);
  if (type === 'uuid') return new RegExp(UUID_PATTERN, 'i').test(value);
  const range = INTEGERS[type];
  if (range) return INTEGER_TEXT.test(value) && BigInt(value.trim()) >= BigInt(range[0]) && BigInt(value.trim()) <= BigInt(range[1]);
  return undefined;
}

/**
 * FL-15. ALTER … TYPE converts the column's default too, and fails when it cannot ("default for
 * column … cannot be cast automatically"). The plan drops the old default first and sets the
 * desired one after, so the change goes through; the hazard says what happens to the default: a
 * literal recast to the new type, or one that could not be cast replaced (or dropped).
 */
function defaultRecast(id: string, name: string, a: Column, b: Column, toEnum: EnumType | undefined): Hazard | undefined {
  const old = literalDefault(a.default);
  if (!old || a.default === undefined) return undefined;
  const next = literalDefault(b.default);
  const [was, now] = [shown(a.default), b.default === undefined ? undefined : shown(b.default)];
  if (next && next.value === old.value && now !== undefined) {
    return {
      ...hazard('FL-15', id, `${name}: default ${was} is dropped before the type change and set again as ${now}.`),
      accepted: 'policy', remedy: `default recast: ${was} → ${now}`,
    };
  }
  if (literalCasts(old.value, b.type, toEnum) !== false) return undefined;
  const after = now !== undefined ? `sets ${now} after` : 'leaves the column without one, as desired';
  return {
    ...hazard('FL-15', id, `${name}: default ${was} cannot be cast to ${shown(b.type)}; the plan drops it before the type change and ${after}.`),
    accepted: 'policy', remedy: now !== undefined ? `default replaced: ${was} → ${now}` : `default dropped: ${was}`,
  };
}

/** A default or type for a message: types in public unqualified, as psql shows them. */
function shown(text: string): string {
  return text.replace(/^public\./, '').replace(/::public\./g, '::');
}

