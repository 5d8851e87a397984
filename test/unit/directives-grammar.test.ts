import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAcceptDirectives } from '../../src/core/hazards/accept';
import { parseExpectation } from '../../src/core/plan/expect';

/**
 * The injection grammar for `-- pgdrift:` directives (syntaxes/), checked with plain RegExp: its
 * patterns use only syntax Oniguruma and JavaScript read alike (lookbehind, classes, lazy groups).
 * VS Code applies them inside the SQL grammar's `--` comment, i.e. to the whole line.
 */
const ROOT = join(__dirname, '..', '..');
interface Rule {
  match: string;
  captures: Record<string, { name: string }>;
}
const grammar = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'pgdrift-directives.injection.json'), 'utf8')) as {
  scopeName: string;
  injectionSelector: string;
  patterns: { include: string }[];
  repository: Record<string, Rule>;
};
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars?: { scopeName: string; path: string; injectTo?: string[] }[] };
};

/** Scope → text of every capture of the first rule matching the line (the grammar's own order). */
function scopes(line: string): Record<string, string> | undefined {
  for (const { include } of grammar.patterns) {
    const rule = grammar.repository[include.slice(1)];
    assert.ok(rule, include);
    const m = new RegExp(rule.match).exec(line);
    if (!m) continue;
    const out: Record<string, string> = {};
    for (const [group, capture] of Object.entries(rule.captures)) {
      const text = m[Number(group)];
      if (text !== undefined) out[capture.name] = text;
    }
    return out;
  }
  return undefined;
}

const KEYWORD = 'keyword.control.directive.pgdrift';

describe('the pgdrift directives grammar', () => {
  it('is contributed as an injection into source.sql, inside -- comments, and packaged', () => {
    assert.equal(grammar.injectionSelector, 'L:comment.line.double-dash.sql');
    const entry = manifest.contributes.grammars?.find((g) => g.scopeName === grammar.scopeName);
    assert.ok(entry, 'package.json contributes.grammars has no entry for the injection');
    assert.equal(entry.path, './syntaxes/pgdrift-directives.injection.json');
    assert.deepEqual(entry.injectTo, ['source.sql']);
    assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), /^!syntaxes\/\*\*$/m);
  });

  it('scopes the phase marker and the phase', () => {
    assert.deepEqual(scopes('-- pgdrift:phase migrate-data'), { [KEYWORD]: 'pgdrift:phase', 'constant.language.phase.pgdrift': 'migrate-data' });
    assert.deepEqual(scopes('  --pgdrift:phase'), { [KEYWORD]: 'pgdrift:phase' });
  });

  it('scopes an accept line: code and object, as parseAcceptDirectives reads them', () => {
    const line = '-- pgdrift:accept DL-02 public.OvertimeSettings.overtimeMode';
    assert.deepEqual(scopes(line), {
      [KEYWORD]: 'pgdrift:accept',
      'constant.language.hazard-code.pgdrift': 'DL-02',
      'entity.name.type.object.pgdrift': 'public.OvertimeSettings.overtimeMode',
    });
    assert.deepEqual(parseAcceptDirectives(line, 'm.sql').map((a) => [a.code, a.object]), [['DL-02', 'public.OvertimeSettings.overtimeMode']]);
  });

  it('scopes the target profile, the fingerprint and no-transaction', () => {
    assert.deepEqual(scopes('-- pgdrift:target gm_production'), { [KEYWORD]: 'pgdrift:target', 'entity.name.type.profile.pgdrift': 'gm_production' });
    assert.deepEqual(scopes('-- pgdrift:fingerprint 3f2a9c'), { [KEYWORD]: 'pgdrift:fingerprint', 'constant.numeric.fingerprint.pgdrift': '3f2a9c' });
    assert.deepEqual(scopes('-- pgdrift:no-transaction'), { [KEYWORD]: 'pgdrift:no-transaction' });
  });

  it('splits an expectation as parseExpectation does', () => {
    const line = '-- pgdrift:expect SELECT count(*) FROM "Role" >= 3';
    assert.deepEqual(scopes(line), {
      [KEYWORD]: 'pgdrift:expect',
      'meta.embedded.query.pgdrift': 'SELECT count(*) FROM "Role"',
      'keyword.operator.comparison.pgdrift': '>=',
      'constant.numeric.pgdrift': '3',
    });
    assert.deepEqual(parseExpectation(line), { sql: 'SELECT count(*) FROM "Role"', op: '>=', value: 3 });
  });

  it('leaves ordinary comments and look-alikes alone', () => {
    assert.equal(scopes('-- just a comment about pgdrift:phase'), undefined);
    assert.equal(scopes('-- pgdrift: no differences, nothing to do'), undefined);
    assert.equal(scopes('-- pgdrift:phases expand'), undefined);
    assert.equal(scopes('-- pgdrift:accepted DL-02 x'), undefined);
  });
});
