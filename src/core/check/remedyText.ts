/**
 * Remedies for one hazard of a checked migration file, as the text to insert before its
 * statement: the same statements the plan writes (hazards/remedies.ts), laid out as the plan
 * script lays them out, so a file fixed in the editor reads like a generated one.
 */
import { backupStatements } from '../hazards/remedies';
import type { Hazard } from '../hazards/types';
import type { SchemaModel } from '../model/types';
import { expectationOf, renderExpectation } from '../plan/expect';
import { renderStatement } from '../plan/render';

/**
 * The backup before a drop (or another data-loss statement). Statements the file already has (the backup schema and manifest, after a first backup) are left out.
 * Undefined when the core saves nothing for this hazard.
 */
export function backupText(h: Hazard, fingerprint: string, from: SchemaModel, fileText = ''): string | undefined {
  const statements = backupStatements(h, h.object, { from, fingerprint });
  if (!statements) return undefined;
  const lines = statements.map((s) => {
    const e = expectationOf(s);
    return e ? renderExpectation(e) : renderStatement(s);
  });
  const flat = (text: string) => text.replace(/\s+/g, ' ');
  const present = flat(fileText);
  const missing = lines.filter((l) => !present.includes(flat(l)));
  return missing.length ? `${missing.join('\n')}\n` : '';
}
