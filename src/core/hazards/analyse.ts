/**
 * The analysis every surface runs on a fresh plan: measure its hazards on the from-database, add
 * the remedies the measurements call for, then apply the user's accepts. The CLI, the tests and
 * (later) the extension call this one function, so they all see the same plan.
 */
import type { Queryable } from '../db/queryable';
import type { Mapping } from '../diff/options';
import type { SchemaModel } from '../model/types';
import type { Change, Plan } from '../plan/types';
import { acceptInPlan, type Accept } from './accept';
import { targetsBeforeRenames } from './beforeRenames';
import { measureHazards } from './measure';
import type { ProbeLimits } from './probe';
import { addRemedies } from './remedies';

export interface AnalyseInput {
  from: SchemaModel;
  to: SchemaModel;
  /** The from-database's fingerprint (names the backups). */
  fingerprint: string;
  /** A connection to the from-database; only read (probes run READ ONLY). */
  q: Queryable;
  accepts?: readonly Accept[];
  limits?: ProbeLimits;
  /** The renames the plan was made with: probes read the tables under their current names. */
  mapping?: Mapping;
  /** Changes of the diff left out of this plan (the validate phase's object counts follow the plan that runs). */
  leftOut?: readonly Change[];
}

export async function analysePlan(planned: Plan, input: AnalyseInput): Promise<{ plan: Plan; unusedAccepts: Accept[] }> {
  const probed = targetsBeforeRenames(planned, input.from, input.to, input.mapping);
  const measured = await measureHazards(probed, input.q, input.limits);
  const remedied = await addRemedies(measured, input);
  const { plan, unused } = acceptInPlan(remedied, input.accepts ?? []);
  return { plan, unusedAccepts: unused };
}
