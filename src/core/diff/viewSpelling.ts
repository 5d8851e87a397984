/**
 * One view, two spellings. Up to PostgreSQL 15 a view's stored query carried two extra range-table
 * entries (OLD and NEW), so pg_get_viewdef saw more than one relation and qualified every column:
 * `SELECT te.id FROM public."TimeEntry" te`. From 16 on they are gone, and a query that reads a
 * single relation prints its columns bare: `SELECT id FROM public."TimeEntry" te`. Both mean the
 * same, but compared as text every such view of a 13-15 server differs from its twin on 16-18 (or
 * in the embedded PostgreSQL 18 that SQL files load into).
 *
 * When the two sides straddle that line, the older side's definitions are respelled the way 16
 * prints them before comparing: in the outermost SELECT (not a UNION, whose branches keep their
 * qualifiers on every version) whose FROM is one item and no join, a two-part column reference
 * whose qualifier is that item's name loses the qualifier. Subqueries, sublinks and WITH queries
 * are printed qualified by every version (they have an outer query) and are left alone. The
 * references are found by PostgreSQL's own parser, the qualifier token by its scanner, so text in
 * literals is never touched. Only the comparison sees the respelled text: each side's model and
 * fingerprint stay as read.
 */
import type { Node } from 'libpg-query';
import { loadParser, type PgParser } from '../check/parser';
import { SourceText } from '../check/positions';
import type { SchemaModel } from '../model/types';

/** The first version that prints single-relation views without column qualifiers. */
const BARE_SINCE = 160000;

export async function alignViewSpelling(
  from: { model: SchemaModel; serverVersionNum: number }, to: { model: SchemaModel; serverVersionNum: number },
): Promise<{ from: SchemaModel; to: SchemaModel }> {
  const fromOld = from.serverVersionNum < BARE_SINCE;
  const toOld = to.serverVersionNum < BARE_SINCE;
  if (fromOld === toOld) return { from: from.model, to: to.model };
  const parser = await loadParser();
  return {
    from: fromOld ? respelled(from.model, parser) : from.model,
    to: toOld ? respelled(to.model, parser) : to.model,
  };
}

function respelled(model: SchemaModel, parser: PgParser): SchemaModel {
  if (model.views.length === 0) return model;
  return { ...model, views: model.views.map((v) => ({ ...v, definition: bareColumns(v.definition, parser) })) };
}

/** The definition as PostgreSQL 16 and later print it; unchanged when it does not parse. */
export function bareColumns(definition: string, parser: PgParser): string {
  let select: Record<string, unknown> | undefined;
  try {
    select = (parser.parse(definition).stmts?.[0]?.stmt as { SelectStmt?: Record<string, unknown> } | undefined)?.SelectStmt;
  } catch {
    return definition;
  }
  const name = select ? singleRelationName(select) : undefined;
  if (!select || !name) return definition;
  const locations: number[] = [];
  collectQualified(select, name, locations, true);
  if (locations.length === 0) return definition;
  const source = new SourceText(definition);
  const tokens = parser.scan(definition).tokens;
  let text = definition;
  for (const at of [...new Set(locations)].sort((a, b) => b - a)) {
    const k = tokens.findIndex((t) => t.start === at);
    const qualifier = tokens[k];
    const dot = tokens[k + 1];
    if (!qualifier || !dot || definition.slice(source.indexOfByte(dot.start), source.indexOfByte(dot.end)) !== '.') continue;
    text = text.slice(0, source.indexOfByte(qualifier.start)) + text.slice(source.indexOfByte(dot.end));
  }
  return text;
}

/** The name columns are qualified with when FROM is exactly one relation, subquery or function. */
function singleRelationName(select: Record<string, unknown>): string | undefined {
  if (select.op !== undefined && select.op !== 'SETOP_NONE') return undefined;
  const from = select.fromClause as Node[] | undefined;
  if (from?.length !== 1) return undefined;
  const item = from[0] as {
    RangeVar?: { relname?: string; alias?: { aliasname?: string } };
    RangeSubselect?: { alias?: { aliasname?: string } };
    RangeFunction?: { alias?: { aliasname?: string } };
  };
  if (item.RangeVar) return item.RangeVar.alias?.aliasname ?? item.RangeVar.relname;
  return item.RangeSubselect?.alias?.aliasname ?? item.RangeFunction?.alias?.aliasname;
}

/** Nested queries print qualified on every version: these keys hold them. */
const NESTED_QUERIES = new Set(['withClause', 'subselect', 'subquery']);

function collectQualified(node: unknown, name: string, out: number[], top: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) collectQualified(item, name, out, false);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const ref = (node as { ColumnRef?: { fields?: { String?: { sval?: string } }[]; location?: number } }).ColumnRef;
  if (ref) {
    const [qualifier, column] = ref.fields ?? [];
    if (ref.fields?.length === 2 && qualifier?.String?.sval === name && column?.String && ref.location !== undefined) out.push(ref.location);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (NESTED_QUERIES.has(key) || (!top && key === 'SelectStmt')) continue;
    collectQualified(value, name, out, false);
  }
}
