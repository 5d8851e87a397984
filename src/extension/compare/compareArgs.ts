import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { CompareArgs } from '../../core/compare';
import { loadMapping, MAPPING_FILE } from '../../core/diff/mapping';
import type { ObjectId } from '../../core/model/types';
import type { ComparisonSide } from './comparisonState';
import { referenceDataOptions } from './referenceData';
import { editorDataWording } from './referenceEntries';

import { SQLITE_PREFIX } from '../../core/sources';

/** A side read from a SQLite file (`sqlite:PATH`): only ever the desired state. */
export { SQLITE_PREFIX };

/**
 * What a comparison in the editor asks of the engine: both sides, the workspace's mapping file
 * (renames and cast policies, as `pgdrift plan --mapping FILE` reads it) and the changes left out.
 * The mapping file is the setting `pgdrift.mappingFile`, relative to the first workspace folder; the
 * default `pgdrift.mapping.json` is optional, a file the user named must exist (else a usage error).
 * The reference-data tables (`pgdrift.referenceData`, see referenceData.ts) are `--data`; a SQLite
 * side's DATETIME text is read in `pgdrift.sqliteTimeZone`.
 */
export function comparisonArgs(from: ComparisonSide, to: ComparisonSide, exclude: readonly ObjectId[] = []): CompareArgs {
  const mapping = mappingPath();
  const file = mapping === undefined ? undefined : loadMapping(mapping);
  const data = referenceDataOptions();
  const sqlite = [from, to].some((side) => side.spec.startsWith(SQLITE_PREFIX));
  return {
    from: from.spec,
    to: to.spec,
    introspect: {},
    // As the CLI's --mapping: the file's renames, and its cast policies for the columns it names.
    diff: file ? { casts: { ...file.casts }, mapping: file.mapping } : {},
    accepts: [],
    ...(file && mapping ? { mapping: { path: mapping, file } } : {}),
    ...(exclude.length ? { exclude: [...exclude] } : {}),
    // A SQLite desired state copies every row already (its embedded copy holds the schema only).
    ...(data && !sqlite ? { data: { ...data, wording: editorDataWording(from.label, to.label) } } : {}),
    ...(sqlite ? { sqlite: { timeZone: sqliteTimeZone() } } : {}),
  };
}

function mappingPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const setting = vscode.workspace.getConfiguration('pgdrift', folder?.uri).inspect<string>('mappingFile');
  const named = (setting?.workspaceFolderValue ?? setting?.workspaceValue ?? setting?.globalValue)?.trim();
  const name = named || MAPPING_FILE;
  const path = isAbsolute(name) || !folder ? name : join(folder.uri.fsPath, name);
  // Only the default may be missing: a file the user named and that is not there is their mistake.
  return named || existsSync(path) ? path : undefined;
}

/** The zone a SQLite application wrote its DATETIME text in (`pgdrift.sqliteTimeZone`, default UTC). */
function sqliteTimeZone(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return vscode.workspace.getConfiguration('pgdrift', folder?.uri).get<string>('sqliteTimeZone')?.trim() || 'UTC';
}
