import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  bin: Record<string, string>;
  engines: Record<string, string>;
  contributes: { commands: { command: string; title: string; category?: string }[] };
};
const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('extension manifest', () => {
  it('is the pgdrift extension for VS Code 1.100+, with the bundled CLI as its bin', () => {
    assert.equal(manifest.name, 'pgdrift');
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.bin.pgdrift, './dist/cli.js');
  });

  it('gives every command a category and a title found in package.nls.json', () => {
    assert.ok(manifest.contributes.commands.length > 0);
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'pgdrift', c.command);
      const key = /^%(.+)%$/.exec(c.title)?.[1];
      assert.ok(key && nls[key], `${c.command}: title ${c.title} has no entry in package.nls.json`);
    }
  });
});
