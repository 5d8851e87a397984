import { ids } from '../model/ids';
import type { Routine, RoutineKind } from '../model/types';
import { ownership, sortedStrings, type OidMap, type OwnershipRow } from './oidMap';
import { catalogQuery, ownershipColumns, describedBy } from './query';

/**
 * Functions, procedures, aggregates and window functions. Overloads share a name, so the id carries
 * the identity arguments. pg_get_functiondef prints the whole CREATE OR REPLACE statement but
 * refuses aggregates, whose definition is their support functions and options in pg_aggregate:
 * for those the query assembles the CREATE AGGREGATE statement itself. regproc prints a support
 * function schema-qualified, as the query runs with search_path = pg_catalog.
 */
export const routinesQuery = catalogQuery('functions', `
  SELECT p.oid, n.nspname AS schema, p.proname AS name, p.prokind AS kind,
    pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity_arguments,
    pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
    CASE WHEN p.prokind <> 'p' THEN pg_catalog.pg_get_function_result(p.oid) END AS returns,
    l.lanname AS language, p.provolatile AS volatility, p.proisstrict AS strict,
    p.prosecdef AS security_definer, p.proleakproof AS leakproof, p.proparallel AS parallel,
    p.proconfig AS config,
    CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) ELSE (
      SELECT 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
        || '(' || CASE WHEN a.aggkind = 'n' THEN coalesce(nullif(pg_catalog.pg_get_function_arguments(p.oid), ''), '*')
                       ELSE pg_catalog.pg_get_function_arguments(p.oid) END || ') ('
        || concat_ws(', ',
          'SFUNC = ' || a.aggtransfn::pg_catalog.regproc::text,
          'STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL),
          CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
          CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::pg_catalog.regproc::text END,
          CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
          CASE WHEN a.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || a.aggcombinefn::pg_catalog.regproc::text END,
          CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || a.aggserialfn::pg_catalog.regproc::text END,
          CASE WHEN a.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || a.aggdeserialfn::pg_catalog.regproc::text END,
          CASE WHEN a.agginitval IS NOT NULL THEN 'INITCOND = ' || pg_catalog.quote_literal(a.agginitval) END,
          CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || a.aggmtransfn::pg_catalog.regproc::text END,
          CASE WHEN a.aggminvtransfn <> 0 THEN 'MINVFUNC = ' || a.aggminvtransfn::pg_catalog.regproc::text END,
          CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) END,
          CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || a.aggmfinalfn::pg_catalog.regproc::text END,
          CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
          CASE WHEN a.aggminitval IS NOT NULL THEN 'MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval) END,
          CASE WHEN a.aggsortop <> 0 THEN 'SORTOP = OPERATOR(' || a.aggsortop::pg_catalog.regoperator::text || ')' END,
          CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END,
          CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END)
        || ')'
      FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid) END AS definition,
    ${ownershipColumns('p.proowner', 'p.proacl', 'd')}
  FROM pg_catalog.pg_proc p
  ${describedBy('d', 'pg_proc', 'p.oid')}
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
  WHERE p.pronamespace = ANY($1::oid[])`);

export interface RoutineRow extends OwnershipRow {
  oid: number;
  schema: string;
  name: string;
  kind: 'f' | 'p' | 'a' | 'w';
  identity_arguments: string;
  arguments: string;
  returns: string | null;
  language: string;
  volatility: 'i' | 's' | 'v';
  strict: boolean;
  security_definer: boolean;
  leakproof: boolean;
  parallel: 's' | 'r' | 'u';
  config: string[] | null;
  definition: string | null;
}

const KINDS: Record<RoutineRow['kind'], RoutineKind> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };
const VOLATILITY = { i: 'immutable', s: 'stable', v: 'volatile' } as const;
const PARALLEL = { s: 'safe', r: 'restricted', u: 'unsafe' } as const;

export function buildRoutines(rows: RoutineRow[], oids: OidMap): Routine[] {
  return rows.map((r) => {
    const kind = KINDS[r.kind];
    const identityArguments = withoutDefaultMode(r.identity_arguments);
    const id = ids.routine(kind, r.schema, r.name, identityArguments);
    oids.set('pg_proc', r.oid, id);
    const routine: Routine = {
      id,
      schema: r.schema,
      name: r.name,
      kind,
      identityArguments,
      arguments: withoutDefaultMode(r.arguments),
      language: r.language,
      volatility: VOLATILITY[r.volatility],
      strict: r.strict,
      securityDefiner: r.security_definer,
      leakproof: r.leakproof,
      parallel: PARALLEL[r.parallel],
      ...ownership(r),
    };
    if (r.returns !== null) routine.returns = r.returns;
    if (r.config !== null && r.config.length > 0) routine.config = sortedStrings(r.config);
    if (r.definition !== null) routine.definition = r.definition;
    return routine;
  });
}

/**
 * Drops the explicit IN mode from an argument list. From PostgreSQL 14 the server prints
 * "INOUT x integer, IN y text" for a procedure that PostgreSQL 13 prints as "INOUT x integer,
 * y text"; IN is the default mode, so both mean the same signature and must give the same id. An
 * argument named "in" is always quoted (IN is a reserved word), so a bare IN is only ever the mode.
 */
export function withoutDefaultMode(argumentList: string): string {
  return argumentList.replace(/(^|, )IN (?=\S)/g, '$1');
}
