import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson';
import type { SchemaModel } from './types';

/**
 * A stable hash of the normalised model. A plan records the fingerprint of the database it was
 * written for; a different fingerprint at run time means the database changed since.
 */
export function fingerprintOf(model: SchemaModel): string {
  return `sha256:${createHash('sha256').update(canonicalJson(model)).digest('hex')}`;
}
