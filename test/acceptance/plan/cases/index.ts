/** Every case table, by the object kind it exercises; a kind's name is part of its cases' keys. */
import type { ConvergenceCase } from '../../../support/convergence';
import { columns } from './columns';
import { comments } from './comments';
import { composites } from './composites';
import { constraints } from './constraints';
import { domains } from './domains';
import { enums } from './enums';
import { extensions } from './extensions';
import { indexes } from './indexes';
import { partitions } from './partitions';
import { policies } from './policies';
import { routines } from './routines';
import { schemas } from './schemas';
import { sequences } from './sequences';
import { tables } from './tables';
import { triggers } from './triggers';
import { views } from './views';

export const CASES: Readonly<Record<string, readonly ConvergenceCase[]>> = {
  schemas, extensions, enums, domains, composites, sequences, tables, columns, constraints, indexes,
  views, routines, triggers, policies, comments, partitions,
};
