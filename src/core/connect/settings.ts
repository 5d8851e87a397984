/**
 * Profiles from a VS Code settings file (`.vscode/settings.json` of a workspace): the array under
 * the key `pgdrift.profiles`, each profile checked as the extension checks what the user types,
 * so the CLI and the extension agree on what a valid profile is.
 */
import { PgdriftError, messageOf } from '../errors';
import { parseJsonc } from './jsonc';
import type { Profile } from './profile';
import { validateProfile } from './validate';

export const PROFILES_SETTING = 'pgdrift.profiles';

/** `file` names the file in messages. No key means no profiles; anything malformed is a usage error. */
export function profilesFromSettings(text: string, file: string): Profile[] {
  let settings: unknown;
  try {
    settings = parseJsonc(text);
  } catch (error) {
    throw new PgdriftError('usage', `${file} is not valid JSON (comments and trailing commas are fine): ${messageOf(error)}`);
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new PgdriftError('usage', `${file} must hold a JSON object`);
  }
  const value = (settings as Record<string, unknown>)[PROFILES_SETTING];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new PgdriftError('usage', `${file}: "${PROFILES_SETTING}" must be an array of profiles`);
  const names: string[] = [];
  return value.map((item: unknown, index) => {
    const problem = validateProfile(item, names);
    if (problem) throw new PgdriftError('usage', `${file}: "${PROFILES_SETTING}"[${index}]: ${problem}`);
    const profile = item as Profile;
    names.push(profile.name);
    return profile;
  });
}
