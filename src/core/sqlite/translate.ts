/**
 * A SQLite schema → a pgdrift SchemaModel for one PostgreSQL schema, so the diff and the planner
 * treat a SQLite database like any other from-source. Names are kept as SQLite spells them (a
 * table "Users" stays "Users"). Constraint names SQLite leaves unnamed get the names PostgreSQL
 * would give them (users_pkey, orders_machine_id_fkey, users_email_key, orders_quantity_check).
 * What cannot be carried over faithfully is left out of the model and listed in `findings`:
 * views and triggers (SQLite SQL, not translated), CHECK constraints, partial-index predicates and
 * defaults written with SQLite-only functions or operators, expression indexes, foreign keys
 * whose parent columns have no unique constraint (SQLite accepts them; PostgreSQL refuses).
 */
import { defaultName } from '../check/defaultNames';
import { PgdriftError } from '../errors';
import { ids } from '../model/ids';
import type { Column, Constraint, Dependency, ForeignKeyAction, Index, SchemaModel, SequenceOptions, Table } from '../model/types';
import { translateExpression, type ExpressionContext } from './expression';
import { pgIdent } from './pgNames';
import type { SqliteAction, SqliteColumn, SqliteForeignKey, SqliteSchema, SqliteTable } from './schema';
import { checkTimeZone } from './timeZone';
import { tokenize } from './tokens';
import { mapType, type MappedType } from './typeMap';
import { toPostgresText } from './values';

export interface TranslateOptions {
  /** The PostgreSQL schema the tables go to; default public. */
  schema?: string;
  /** Owner written into the model (compared only when the user asks for ownership); default postgres. */
  owner?: string;
  /** IANA zone the SQLite application wrote its DATETIME text in; default UTC. */
  timeZone?: string;
}

export type FindingKind = 'view' | 'trigger' | 'check' | 'default' | 'index' | 'foreign key' | 'type' | 'generated column';

/** Something of the SQLite schema that is not in the translated model, or translated with a caveat. */
export interface Finding {
  kind: FindingKind;
  /** SQLite table (or view, trigger) name. */
  table: string;
  /** The column, constraint or index concerned. */
  object?: string;
  message: string;
  /** The SQLite text concerned. */
  sql?: string;
}

export interface ColumnTranslation {
  name: string;
  declaredType: string;
  mapped: MappedType;
  identity: boolean;
  notNull: boolean;
}

export interface TableTranslation {
  /** The SQLite table's name (also the PostgreSQL table's name). */
  name: string;
  id: string;
  columns: ColumnTranslation[];
  /** WITHOUT ROWID tables have no rowid: the probe names rows by primary key instead. */
  withoutRowid: boolean;
  primaryKey: string[];
  /** AUTOINCREMENT: SQLite never reuses an id, even of deleted rows (sqlite_sequence keeps the highest). */
  autoincrement: boolean;
}

export interface SqliteTranslation {
  model: SchemaModel;
  tables: TableTranslation[];
  findings: Finding[];
  schema: string;
  timeZone: string;
}

/** A bigint identity's sequence as PostgreSQL creates it with no options. */
export const IDENTITY_SEQUENCE: SequenceOptions = {
  dataType: 'bigint', start: '1', increment: '1', min: '1', max: '9223372036854775807', cache: '1', cycle: false,
};

type ConstraintMaker = (name: string, kind: Constraint['kind'], definition: string, columns: string[]) => Constraint;

const ACTIONS: Record<SqliteAction, ForeignKeyAction> = {
  'NO ACTION': 'no action', RESTRICT: 'restrict', CASCADE: 'cascade', 'SET NULL': 'set null', 'SET DEFAULT': 'set default',
};

export function translateSqlite(sqlite: SqliteSchema, options: TranslateOptions = {}): SqliteTranslation {
  const schema = options.schema ?? 'public';
  const owner = options.owner ?? 'postgres';
  const timeZone = options.timeZone ?? 'UTC';
  try {
    checkTimeZone(timeZone);
  } catch {
    throw new PgdriftError('usage', `Unknown time zone "${timeZone}": give an IANA name such as Africa/Johannesburg or UTC.`);
  }
  const model: SchemaModel = {
    schemas: [{ id: ids.schema(schema), name: schema, owner }],
    extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [], constraints: [], indexes: [],
    views: [], routines: [], triggers: [], policies: [], dependencies: [],
  };
  const findings: Finding[] = [];
  const tables: TableTranslation[] = [];
  const byName = new Map(sqlite.tables.map((t) => [t.name, t]));
  // pg_get_constraintdef qualifies the referenced table under introspection's empty search_path.
  const qualified = (table: string) => `${pgIdent(schema)}.${pgIdent(table)}`;
  const dep = (from: string, to: string, type: Dependency['type']) => model.dependencies.push({ from, to, type });

  const foreignKeys: (() => void)[] = [];
  /** Per SQLite table: the column sets PostgreSQL will have a unique index on, and that index. */
  const keyIndexes = new Map<string, { columns: string[]; index: string }[]>();
  const addKey = (table: string, columns: string[], index: string) => keyIndexes.set(table, [...(keyIndexes.get(table) ?? []), { columns, index }]);
  const addForeignKey = (t: SqliteTable, fk: SqliteForeignKey, unique: (name: string) => string, constraintBase: ConstraintMaker, colId: (name: string) => string): void => {
    const parent = byName.get(fk.referencedTable) ?? [...byName.values()].find((p) => p.name.toLowerCase() === fk.referencedTable.toLowerCase());
    const label = `FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${fk.referencedTable}`;
    if (!parent) {
      findings.push({ kind: 'foreign key', table: t.name, message: `${label} left out: table ${fk.referencedTable} does not exist in the SQLite database` });
      return;
    }
    const parentPk = primaryKeyOf(parent);
    const referencedColumns = fk.referencedColumns.every((c) => c === null) ? parentPk : fk.referencedColumns.map((c) => c ?? '');
    // PostgreSQL needs a primary key or unique constraint or index on exactly the referenced columns.
    const backing = (keyIndexes.get(parent.name) ?? []).find((k) => k.columns.length === referencedColumns.length && k.columns.every((c) => referencedColumns.includes(c)));
    if (!backing || referencedColumns.length !== fk.columns.length) {
      findings.push({ kind: 'foreign key', table: t.name, message: `${label} left out: the referenced columns have no primary key or unique constraint, which PostgreSQL requires` });
      return;
    }
    // SQLite compares values whatever the declared types; PostgreSQL needs comparable types.
    const typeOf = (table: string, column: string) => model.tables.find((m) => m.name === table)?.columns.find((m) => m.name === column)?.type ?? '';
    const textual = (type: string) => type === 'text' || type.startsWith('character varying');
    const clash = fk.columns.findIndex((col, i) => {
      const [a, b] = [typeOf(t.name, col), typeOf(parent.name, referencedColumns[i] ?? '')];
      return a !== b && !(textual(a) && textual(b));
    });
    if (clash >= 0) {
      const col = fk.columns[clash] ?? '';
      findings.push({ kind: 'foreign key', table: t.name, message: `${label} left out: ${col} becomes ${typeOf(t.name, col)} but ${parent.name}.${referencedColumns[clash] ?? ''} becomes ${typeOf(parent.name, referencedColumns[clash] ?? '')}, which PostgreSQL cannot compare in a foreign key` });
      return;
    }
    const name = unique(defaultName(t.name, fk.columns, 'fkey'));
    const actions = [
      fk.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${fk.onUpdate}` : '',
      fk.onDelete !== 'NO ACTION' ? ` ON DELETE ${fk.onDelete}` : '',
    ].join('');
    const c = constraintBase(name, 'foreign key',
      `FOREIGN KEY (${fk.columns.map(pgIdent).join(', ')}) REFERENCES ${qualified(parent.name)}(${referencedColumns.map(pgIdent).join(', ')})${actions}${
        fk.deferrable ? ` DEFERRABLE${fk.deferrable.initiallyDeferred ? ' INITIALLY DEFERRED' : ''}` : ''}`, fk.columns);
    if (fk.deferrable) {
      c.deferrable = true;
      c.initiallyDeferred = fk.deferrable.initiallyDeferred;
    }
    c.foreignKey = {
      referencedTable: ids.table(schema, parent.name), referencedColumns,
      onUpdate: ACTIONS[fk.onUpdate], onDelete: ACTIONS[fk.onDelete], match: 'simple',
    };
    model.constraints.push(c);
    for (const col of fk.columns) dep(c.id, colId(col), 'auto');
    for (const col of referencedColumns) dep(c.id, ids.column(schema, parent.name, col), 'normal');
    // As in pg_depend: the foreign key needs the referenced key's index, so it is added after it.
    dep(c.id, backing.index, 'normal');
  };

  for (const t of sqlite.tables) {
    const tableId = ids.table(schema, t.name);
    const columnTypes = new Map<string, string>();
    const translations: ColumnTranslation[] = [];
    const pk = primaryKeyOf(t);
    const rowidAlias = rowidAliasOf(t);
    const columns: Column[] = t.columns.map((c) => {
      const identity = c.name === rowidAlias;
      const mapped = identity ? { ...mapType('INTEGER') } : mapType(c.declaredType);
      if (mapped.note) findings.push({ kind: 'type', table: t.name, object: c.name, message: mapped.note });
      if (c.generated) findings.push({ kind: 'generated column', table: t.name, object: c.name, message: 'generated column copied as an ordinary column with its current values' });
      const notNull = c.notNull || pk.includes(c.name) || identity;
      columnTypes.set(c.name, mapped.type);
      translations.push({ name: c.name, declaredType: c.declaredType, mapped, identity, notNull });
      const column: Column = { name: c.name, type: mapped.type, notNull };
      if (identity) column.identity = { kind: 'by default', sequence: { ...IDENTITY_SEQUENCE } };
      else if (c.default !== undefined) {
        const d = translateDefault(c, mapped, timeZone);
        if ('sql' in d) {
          column.default = d.sql;
          if (d.sql === 'now()' && timeZone !== 'UTC') {
            findings.push({
              kind: 'default', table: t.name, object: c.name, sql: c.default,
              message: `SQLite's CURRENT_TIMESTAMP writes UTC text, but the column's text is read in ${timeZone}: rows that took this default would shift by the zone's offset`,
            });
          }
        } else if (d.problem !== undefined) findings.push({ kind: 'default', table: t.name, object: c.name, message: `DEFAULT left out: ${d.problem}`, sql: c.default });
      }
      return column;
    });
    const table: Table = { id: tableId, schema, name: t.name, kind: 'table', owner, columns, rowSecurity: false, forceRowSecurity: false };
    model.tables.push(table);
    dep(tableId, ids.schema(schema), 'normal');
    tables.push({ name: t.name, id: tableId, columns: translations, withoutRowid: t.withoutRowid, primaryKey: pk, autoincrement: t.autoincrement !== undefined });
    const colId = (name: string) => ids.column(schema, t.name, name);
    const exprCtx: ExpressionContext = { columns: columnTypes };
    const taken = new Set<string>();
    const unique = (name: string) => {
      let n = name;
      for (let i = 1; taken.has(n); i += 1) n = `${name}${i}`;
      taken.add(n);
      return n;
    };
    const constraintBase: ConstraintMaker = (name, kind, definition, cols) => ({
      id: ids.constraint(schema, t.name, name), table: tableId, name, kind, definition, columns: cols,
      deferrable: false, initiallyDeferred: false, validated: true, enforced: true,
    });
    const keyConstraint = (name: string, kind: 'primary key' | 'unique', cols: string[]) => {
      const c = constraintBase(name, kind, `${kind === 'primary key' ? 'PRIMARY KEY' : 'UNIQUE'} (${cols.map(pgIdent).join(', ')})`, cols);
      model.constraints.push(c);
      const indexId = ids.index(schema, name);
      model.indexes.push({ id: indexId, table: tableId, schema, name, method: 'btree', unique: true, keys: cols.map(pgIdent), valid: true, constraint: name });
      for (const col of cols) dep(c.id, colId(col), 'auto');
      dep(indexId, c.id, 'internal');
      addKey(t.name, cols, indexId);
    };

    if (pk.length) keyConstraint(unique(defaultName(t.name, [], 'pkey')), 'primary key', pk);
    for (const index of t.indexes.filter((i) => i.origin === 'u')) {
      if (index.columns.some((c) => c === null)) continue;
      keyConstraint(unique(defaultName(t.name, index.columns as string[], 'key')), 'unique', index.columns as string[]);
    }

    for (const check of t.checks) {
      const translated = translateExpression(check.tokens, exprCtx);
      if ('problem' in translated) {
        findings.push({ kind: 'check', table: t.name, ...(check.name !== undefined ? { object: check.name } : {}), message: `CHECK left out: ${translated.problem}`, sql: check.text });
        continue;
      }
      // SQLite matches column names without regard to case.
      const byLower = new Map([...columnTypes.keys()].map((n) => [n.toLowerCase(), n]));
      const referenced = [...new Set(check.tokens.map((k) => byLower.get((k.kind === 'quoted' ? k.value : k.text).toLowerCase())).filter((n) => n !== undefined))];
      const name = unique(check.name ?? defaultName(t.name, referenced.length === 1 ? referenced : [], 'check'));
      const c = constraintBase(name, 'check', `CHECK (${translated.sql})`, referenced);
      model.constraints.push(c);
      for (const col of referenced) dep(c.id, colId(col), 'auto');
    }

    for (const fk of t.foreignKeys) foreignKeys.push(() => addForeignKey(t, fk, unique, constraintBase, colId));
  }

  // Index names are per schema in PostgreSQL, as in SQLite per database; after the constraints'
  // names so that a constraint keeps the name PostgreSQL would give it.
  const indexNames = new Set(model.indexes.map((i) => i.name));
  for (const t of sqlite.tables) {
    const tableId = ids.table(schema, t.name);
    const columnTypes = new Map(t.columns.map((c) => [c.name, model.tables.find((m) => m.id === tableId)?.columns.find((m) => m.name === c.name)?.type ?? 'text']));
    for (const index of t.indexes.filter((i) => i.origin === 'c')) {
      const sql = index.sql ?? '';
      if (index.columns.some((c) => c === null)) {
        findings.push({ kind: 'index', table: t.name, object: index.name, message: 'expression index left out: its expressions are SQLite SQL', sql });
        continue;
      }
      if (tokenize(sql).some((k) => k.kind === 'word' && k.value === 'COLLATE')) {
        findings.push({ kind: 'index', table: t.name, object: index.name, message: 'index with COLLATE left out: SQLite collations (NOCASE, RTRIM) do not exist in PostgreSQL', sql });
        continue;
      }
      let predicate: string | undefined;
      if (index.partial && index.text?.where) {
        const where = translateExpression(index.text.where.tokens, { columns: columnTypes });
        if ('problem' in where) {
          findings.push({ kind: 'index', table: t.name, object: index.name, message: `partial index left out: ${where.problem}`, sql });
          continue;
        }
        predicate = where.sql;
      }
      if (indexNames.has(index.name)) {
        findings.push({ kind: 'index', table: t.name, object: index.name, message: 'index left out: a constraint of the translation already has its name', sql });
        continue;
      }
      indexNames.add(index.name);
      const cols = index.columns as string[];
      const descending = index.text?.keys.map((k) => k.descending) ?? [];
      const keyList = cols.map((c, i) => `${pgIdent(c)}${descending[i] ? ' DESC' : ''}`).join(', ');
      const id = ids.index(schema, index.name);
      const model_: Index = {
        id, table: tableId, schema, name: index.name,
        definition: `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${pgIdent(index.name)} ON ${pgIdent(schema)}.${pgIdent(t.name)} USING btree (${keyList})${predicate !== undefined ? ` WHERE (${predicate})` : ''}`,
        method: 'btree', unique: index.unique, keys: cols.map(pgIdent), valid: true,
        ...(predicate !== undefined ? { predicate } : {}),
      };
      model.indexes.push(model_);
      if (index.unique && predicate === undefined) addKey(t.name, cols, id);
      for (const col of cols) dep(id, ids.column(schema, t.name, col), 'auto');
    }
  }

  for (const add of foreignKeys) add();

  for (const v of sqlite.views) findings.push({ kind: 'view', table: v.name, message: 'view not translated: its SELECT is SQLite SQL; create it in PostgreSQL by hand', sql: v.sql });
  for (const tr of sqlite.triggers) findings.push({ kind: 'trigger', table: tr.table, object: tr.name, message: 'trigger not translated: SQLite triggers have no PostgreSQL function to run', sql: tr.sql });
  return { model, tables, findings, schema, timeZone };
}

/** Primary key columns in key order. */
export function primaryKeyOf(t: SqliteTable): string[] {
  return t.columns.filter((c) => c.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey).map((c) => c.name);
}

/**
 * The column that is the rowid: a lone primary key column declared exactly INTEGER, in a table with
 * rowids (INT PRIMARY KEY or BIGINT PRIMARY KEY is an ordinary column with a unique index).
 */
export function rowidAliasOf(t: SqliteTable): string | undefined {
  if (t.withoutRowid) return undefined;
  const pk = t.columns.filter((c) => c.primaryKey > 0);
  const only = pk[0];
  if (pk.length !== 1 || !only || only.declaredType.trim().toUpperCase() !== 'INTEGER') return undefined;
  return only.name;
}

/**
 * A DEFAULT: numbers and strings as literals of the column's type, CURRENT_TIMESTAMP as now() (the
 * same instant; SQLite writes it as UTC text), NULL as no default. Other expressions are reported.
 */
function translateDefault(c: SqliteColumn, mapped: MappedType, zone: string): { sql: string } | { problem?: string } {
  const raw = (c.default ?? '').trim();
  const tokens = tokenize(raw);
  const inner = tokens.length >= 2 && tokens[0]?.text === '(' && tokens[tokens.length - 1]?.text === ')' ? tokens.slice(1, -1) : tokens;
  const words = inner.map((t) => t.value).join(' ');
  if (words === 'NULL') return {};
  if (['CURRENT_TIMESTAMP', "DATETIME ( 'NOW' )"].includes(words.replace(/'now'/i, "'NOW'"))) {
    if (mapped.kind === 'timestamptz') return { sql: 'now()' };
    return { problem: `${raw} on a ${mapped.type} column (SQLite writes UTC text there)` };
  }
  if (words === 'CURRENT_DATE' && mapped.kind === 'date') return { sql: 'CURRENT_DATE' };
  const literal = inner.length === 1 ? inner[0] : undefined;
  const signed = inner.length === 2 && ['-', '+'].includes(inner[0]?.text ?? '') && inner[1]?.kind === 'number' ? `${inner[0]?.text === '-' ? '-' : ''}${inner[1]?.text ?? ''}` : undefined;
  const value = signed !== undefined ? Number(signed) : literal?.kind === 'number' ? Number(literal.text) : literal?.kind === 'string' ? literal.value : literal?.kind === 'word' && ['TRUE', 'FALSE'].includes(literal.value) ? (literal.value === 'TRUE' ? 1 : 0) : undefined;
  if (value === undefined) return { problem: `${raw} is an expression, not a literal` };
  const converted = toPostgresText(typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value, mapped, zone);
  if ('misfit' in converted || converted.text === null) return { problem: `${raw} does not fit ${mapped.type}` };
  return { sql: defaultLiteral(converted.text, mapped) };
}

/** A default as pg_get_expr prints it: bare numbers and booleans, typed string literals otherwise. */
function defaultLiteral(text: string, mapped: MappedType): string {
  if (mapped.kind === 'boolean') return text;
  if (['integer', 'real', 'numeric'].includes(mapped.kind) && !text.startsWith('-')) return text;
  return `'${text.replace(/'/g, "''")}'::${mapped.type.replace(/\(.*\)$/, '')}`;
}
