/**
 * SQLite as a from-source (in progress): open a SQLite file with a WebAssembly SQLite, read its
 * schema, translate it into a PostgreSQL SchemaModel, convert its values for COPY and probe for
 * values that would not fit. Planning the copy and running it are not here yet.
 */
export { fileSha256, loadSqlJs, openSqlite, openSqliteBytes, sqlJsWasmPath } from './open';
export { readSqliteSchema } from './read';
export type { SqliteSchema, SqliteTable, SqliteColumn, SqliteForeignKey, SqliteIndex, SqliteView } from './schema';
export { affinityOf, mapType, type Affinity, type MappedType, type ValueKind } from './typeMap';
export { translateSqlite, IDENTITY_SEQUENCE, type Finding, type SqliteTranslation, type TableTranslation, type TranslateOptions } from './translate';
export { toPostgresText, copyField, type Converted, type SqliteValue } from './values';
export { findMisfits, surveySqlite, type Misfit, type Survey, type TableSurvey, type TimeRange } from './survey';
export { nextIdentityValue } from './identity';
export { copyRows, copyColumns } from './copyRows';
export { instantOf, offsetAt, checkTimeZone } from './timeZone';
