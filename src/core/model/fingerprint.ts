import { createHash } from 'node:crypto';
import type { SchemaModel } from './types';

/**
 * A stable hash of the normalised model. A plan records the fingerprint of the database it was
 * written for; a different fingerprint at run time means the database changed since.
 *
 * The hash is taken over JSON.stringify of the model as introspection built it, not over
 * canonical (key-sorted) JSON: the builders set each object's fields in a fixed order and
 * normaliseModel fixes the order of every collection, so equal schemas give equal text, and
 * sorting keys would cost more than the rest of fingerprinting (about 60 ms for 1,000 tables).
 * Any change to the model's shape changes fingerprints either way.
 */
export function fingerprintOf(model: SchemaModel): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(model)).digest('hex')}`;
}
