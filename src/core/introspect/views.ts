import { normaliseExpression } from './expressions';
import { ids } from '../model/ids';
import type { View } from '../model/types';
import { ownership, sortedStrings, type OidMap, type OwnershipRow } from './oidMap';
import { catalogQuery, ownershipColumns, describedBy } from './query';

/**
 * Views and materialized views. A view is stored as an ON SELECT rule named _RETURN; pg_depend
 * records what the view reads as dependencies of that rule, so the rule's oid is mapped to the view.
 * pg_get_viewdef prints the query with names qualified per the search_path, which introspection
 * pins to pg_catalog so every reference comes out schema-qualified.
 */
export const viewsQuery = catalogQuery('views', `
  SELECT c.oid, c.reltype, r.oid AS rule_oid, n.nspname AS schema, c.relname AS name,
    c.relkind = 'm' AS materialized,
    pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
    c.reloptions AS options,
    c.relispopulated AS populated,
    ${ownershipColumns('c.relowner', 'c.relacl', 'd')}
  FROM pg_catalog.pg_class c
  ${describedBy('d', 'pg_class', 'c.oid')}
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN'
  WHERE c.relkind IN ('v', 'm') AND c.relnamespace = ANY($1::oid[])`);

export interface ViewRow extends OwnershipRow {
  oid: number;
  /** The view's row type, which functions may take or return. */
  reltype: number;
  rule_oid: number | null;
  schema: string;
  name: string;
  materialized: boolean;
  definition: string;
  options: string[] | null;
  populated: boolean;
}

export function buildViews(rows: ViewRow[], oids: OidMap): Map<number, View> {
  const views = new Map<number, View>();
  for (const r of rows) {
    const id = ids.view(r.schema, r.name, r.materialized);
    oids.set('pg_class', r.oid, id);
    oids.set('pg_type', r.reltype, id);
    if (r.rule_oid !== null) oids.set('pg_rewrite', r.rule_oid, id);
    const view: View = {
      id,
      schema: r.schema,
      name: r.name,
      materialized: r.materialized,
      definition: normaliseExpression(r.definition),
      columns: [],
      ...ownership(r),
    };
    if (r.options !== null && r.options.length > 0) view.options = sortedStrings(r.options);
    if (r.materialized) view.populated = r.populated;
    views.set(r.oid, view);
  }
  return views;
}
