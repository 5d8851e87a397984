/**
 * The target's tables as the migration file sees them, statement after statement: the schema
 * model read from the target, plus what earlier statements of the file did (tables created,
 * renamed or dropped, columns added or renamed, search_path set). A table created earlier in the
 * file is new and empty when a later statement runs, so nothing in it can be lost or rejected;
 * a renamed table is probed under the name it has in the target today.
 *
 * Unqualified names resolve as PostgreSQL resolves them: the first schema on the search path
 * that has the table, and a new table goes into the first schema of the path.
 */
import { qualify } from '../diff/sql';
import { ids } from '../model/ids';
import type { Column, Constraint, Extension, Index, ObjectId, SchemaModel, Sequence, Table } from '../model/types';
import { displayIdent } from '../render/objectName';

export interface TableEntry {
  schema: string;
  name: string;
  /** The table in the target (under its name there), absent for a table the file creates. */
  target?: Table;
  /** Columns added by the file, by their current name. */
  added: Set<string>;
  /**
   * Columns the file added without a value for the existing rows (no default, identity, serial or
   * stored generation) and that nothing has written since: every existing row holds NULL there.
   */
  onlyNull: Set<string>;
  /** Columns renamed by the file: current name → name in the target. */
  renamed: Map<string, string>;
  /** Target columns the file dropped, by their name in the target. */
  dropped: Set<string>;
}

export interface ColumnRef {
  /** The column in the target, absent for one the file adds or that does not exist. */
  target?: Column;
  /** The file added it: it holds only NULLs or its default, nothing to probe. */
  added: boolean;
}

export class FileCatalog {
  private readonly tables = new Map<string, TableEntry>();
  private readonly constraintsByTable = new Map<ObjectId, Constraint[]>();
  private readonly indexes = new Map<string, Index>();
  private searchPath: string[];
  /** Enum labels by the type's format_type spelling (`public.job_status`), the file's changes included. */
  private readonly enumLabels = new Map<string, string[]>();
  /** Types the file creates (enums, domains, composites), by schema and name. */
  private readonly createdTypes = new Set<string>();

  constructor(private readonly model: SchemaModel, private readonly initialSearchPath: string[]) {
    this.searchPath = [...initialSearchPath];
    for (const t of model.tables) this.tables.set(key(t.schema, t.name), { schema: t.schema, name: t.name, target: t, added: new Set(), onlyNull: new Set(), renamed: new Map(), dropped: new Set() });
    for (const c of model.constraints) {
      const list = this.constraintsByTable.get(c.table) ?? [];
      list.push(c);
      this.constraintsByTable.set(c.table, list);
    }
    for (const i of model.indexes) this.indexes.set(key(i.schema, i.name), i);
    for (const e of model.enums) this.enumLabels.set(typeSpelling(e.schema, e.name), [...e.values]);
  }

  /** `SET search_path`; undefined for `SET search_path TO DEFAULT` / `RESET`. */
  setSearchPath(path: string[] | undefined): void {
    this.searchPath = path ? [...path] : [...this.initialSearchPath];
  }

  get path(): readonly string[] {
    return this.searchPath;
  }

  get creationSchema(): string {
    // With an empty search path PostgreSQL refuses to create; public is the usual first entry.
    return this.searchPath[0] ?? 'public';
  }

  table(schema: string | undefined, name: string): TableEntry | undefined {
    if (schema !== undefined) return this.tables.get(key(schema, name));
    for (const s of this.searchPath) {
      const found = this.tables.get(key(s, name));
      if (found) return found;
    }
    return undefined;
  }

  createTable(schema: string | undefined, name: string): void {
    const s = schema ?? this.creationSchema;
    this.tables.set(key(s, name), { schema: s, name, added: new Set(), onlyNull: new Set(), renamed: new Map(), dropped: new Set() });
  }

  renameTable(entry: TableEntry, newName: string): void {
    this.tables.delete(key(entry.schema, entry.name));
    entry.name = newName;
    this.tables.set(key(entry.schema, newName), entry);
  }

  dropTable(entry: TableEntry): void {
    this.tables.delete(key(entry.schema, entry.name));
  }

  column(entry: TableEntry, name: string): ColumnRef {
    if (entry.added.has(name)) return { added: true };
    // A column renamed away is no longer reachable under its old name.
    const renamedAway = !entry.renamed.has(name) && [...entry.renamed.values()].includes(name);
    const original = entry.renamed.get(name) ?? (renamedAway ? undefined : name);
    if (original === undefined || entry.dropped.has(original)) return { added: false };
    const target = entry.target?.columns.find((c) => c.name === original);
    return target ? { target, added: false } : { added: false };
  }

  /** The tables of a schema (all tables when undefined), as the file sees them now. */
  tablesIn(schema: string | undefined): TableEntry[] {
    return [...this.tables.values()].filter((t) => schema === undefined || t.schema === schema);
  }

  /** The current name of a target column (after the file's renames), undefined once dropped or renamed away. */
  currentName(entry: TableEntry, targetName: string): string | undefined {
    if (entry.dropped.has(targetName)) return undefined;
    for (const [current, original] of entry.renamed) if (original === targetName) return current;
    return this.column(entry, targetName).target?.name === targetName ? targetName : undefined;
  }

  addColumn(entry: TableEntry, name: string, onlyNull = false): void {
    entry.added.add(name);
    if (onlyNull) entry.onlyNull.add(name);
  }

  /**
   * A statement may have written rows of `entry` (UPDATE, INSERT, COPY, MERGE), or of any table
   * when `entry` is undefined (DO, CALL, a SELECT calling functions): its new columns may hold values now.
   */
  wrote(entry: TableEntry | undefined): void {
    for (const t of entry ? [entry] : this.tables.values()) t.onlyNull.clear();
  }

  renameColumn(entry: TableEntry, from: string, to: string): void {
    if (entry.added.delete(from)) {
      entry.added.add(to);
      if (entry.onlyNull.delete(from)) entry.onlyNull.add(to);
      return;
    }
    const original = entry.renamed.get(from) ?? from;
    entry.renamed.delete(from);
    entry.renamed.set(to, original);
  }

  dropColumn(entry: TableEntry, name: string): void {
    entry.added.delete(name);
    const original = entry.renamed.get(name) ?? name;
    entry.renamed.delete(name);
    entry.dropped.add(original);
  }

  /** The id of a table under its current name (for hazards and accept names). */
  tableId(entry: TableEntry): ObjectId {
    return ids.table(entry.schema, entry.name);
  }

  /** The target table's name as SQL, for probes: `"public"."OvertimeSettings"`. */
  probeName(entry: TableEntry): string | undefined {
    return entry.target ? qualify(entry.target.schema, entry.target.name) : undefined;
  }

  constraints(entry: TableEntry): Constraint[] {
    return entry.target ? (this.constraintsByTable.get(entry.target.id) ?? []) : [];
  }

  /** The target's primary-key columns of a table (names in the target); empty when it has none. */
  primaryKey(entry: TableEntry): string[] {
    return this.constraints(entry).find((c) => c.kind === 'primary key')?.columns ?? [];
  }

  /** A table of the target by id, as SQL: for a constraint's referenced table. */
  probeNameOfId(id: ObjectId): string | undefined {
    const t = this.model.tables.find((x) => x.id === id);
    return t ? qualify(t.schema, t.name) : undefined;
  }

  /** An index by name (resolved on the search path) with the table entry it belongs to. */
  index(schema: string | undefined, name: string): { index: Index; table: TableEntry | undefined } | undefined {
    const schemas = schema !== undefined ? [schema] : this.searchPath;
    for (const s of schemas) {
      const index = this.indexes.get(key(s, name));
      if (index) return { index, table: [...this.tables.values()].find((t) => t.target?.id === index.table) };
    }
    return undefined;
  }

  /** A sequence of the target (not one a column's identity owns), resolved on the search path. */
  sequence(schema: string | undefined, name: string): Sequence | undefined {
    const schemas = schema !== undefined ? [schema] : this.searchPath;
    for (const s of schemas) {
      const found = this.model.sequences.find((q) => q.schema === s && q.name === name);
      if (found) return found;
    }
    return undefined;
  }

  /** An extension of the target, by name. */
  extension(name: string): Extension | undefined {
    return this.model.extensions.find((e) => e.name === name);
  }

  /** CREATE TYPE / CREATE DOMAIN in the file; an enum with its labels. */
  createType(schema: string | undefined, name: string, labels?: string[]): void {
    const s = schema ?? this.creationSchema;
    this.createdTypes.add(key(s, name));
    if (labels) this.enumLabels.set(typeSpelling(s, name), [...labels]);
  }

  /** ALTER TYPE … ADD VALUE label, or RENAME VALUE renamed TO label. */
  enumLabel(schema: string | undefined, name: string, label: string, renamed?: string): void {
    const type = this.userType(schema, name);
    const labels = type ? this.enumLabels.get(typeSpelling(type.schema, type.name)) : undefined;
    if (!labels) return;
    const at = renamed === undefined ? -1 : labels.indexOf(renamed);
    if (at >= 0) labels[at] = label;
    else if (!labels.includes(label)) labels.push(label);
  }

  /** The labels of an enum type (or array of one) as format_type spells it; undefined when it is no enum. */
  enumValues(type: string): string[] | undefined {
    return this.enumLabels.get(type.endsWith('[]') ? type.slice(0, -2) : type);
  }

  /** A user-defined type (enum, domain, composite, or a table's row type) by name, as format_type prints it. */
  userType(schema: string | undefined, name: string): { schema: string; name: string } | undefined {
    const m = this.model;
    const has = (s: string) => this.createdTypes.has(key(s, name))
      || [m.enums, m.domains, m.composites, m.tables].some((list) => list.some((t) => t.schema === s && t.name === name));
    const schemas = schema !== undefined ? [schema] : this.searchPath;
    const found = schemas.find(has);
    return found !== undefined ? { schema: found, name } : undefined;
  }
}

/** How format_type spells a user type: `public.job_status`, `public."JobStatus"`. */
function typeSpelling(schema: string, name: string): string {
  return `${displayIdent(schema)}.${displayIdent(name)}`;
}

function key(schema: string, name: string): string {
  return `${schema}\0${name}`;
}
