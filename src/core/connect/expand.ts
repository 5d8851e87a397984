/**
 * `${env:NAME}` in a profile's host, user and database, the syntax VS Code uses in its own
 * settings, expanded when connecting (not when saving), so one shared settings.json serves every
 * developer's environment. An unset variable is an error naming it and the field: connecting to
 * an empty host would silently mean libpq's default (a local socket), the wrong database.
 */
import { PgdriftError } from '../errors';
import type { Profile } from './profile';

export const EXPANDED_FIELDS = ['host', 'user', 'database'] as const;
export type ExpandedField = (typeof EXPANDED_FIELDS)[number];

const REFERENCE = /\$\{env:([^}]*)\}/g;

/** The profile with host, user and database expanded; other fields are returned as they were. */
export function expandProfile(profile: Profile, env: NodeJS.ProcessEnv): Profile {
  const expanded: Profile = { ...profile };
  for (const field of EXPANDED_FIELDS) expanded[field] = expandField(profile, field, env);
  return expanded;
}

export function expandField(profile: Profile, field: ExpandedField, env: NodeJS.ProcessEnv): string {
  return profile[field].replace(REFERENCE, (reference: string, name: string) => {
    const value = name === '' ? undefined : env[name];
    if (value === undefined || value === '') {
      const state = value === '' ? 'is empty' : 'is not set';
      throw new PgdriftError('usage', `profile "${profile.name}": ${field} uses ${reference}, which ${state}`, { fix: 'edit-profile' });
    }
    return value;
  });
}

/** The variables a profile refers to, for a settings check that does not need their values. */
export function referencedVariables(profile: Profile): string[] {
  return EXPANDED_FIELDS.flatMap((field) => [...profile[field].matchAll(REFERENCE)].map((m) => m[1] ?? ''));
}
