import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  bin: Record<string, string>;
  engines: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    walkthroughs?: { id: string; title: string; description: string; steps: { id: string; title: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[];
  };
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

  it('has a walkthrough whose texts, media and commands all exist', () => {
    const declared = new Set(manifest.contributes.commands.map((c) => c.command));
    const text = (value: string, where: string): string => {
      const key = /^%(.+)%$/.exec(value)?.[1];
      const found = key === undefined ? undefined : nls[key];
      assert.ok(found, `${where}: ${value} has no entry in package.nls.json`);
      return found;
    };
    const walkthroughs = manifest.contributes.walkthroughs ?? [];
    assert.deepEqual(walkthroughs.map((w) => w.id), ['firstComparison']);
    for (const w of walkthroughs) {
      text(w.title, w.id);
      text(w.description, w.id);
      for (const step of w.steps) {
        const where = `${w.id}#${step.id}`;
        text(step.title, where);
        // A step's buttons are command links; each must name a command pgdrift declares.
        const links = [...text(step.description, where).matchAll(/\]\(command:([^)?]+)/g)].map((m) => m[1] ?? '');
        assert.ok(links.length > 0, `${where}: no button`);
        for (const id of links) assert.ok(declared.has(id), `${where}: the button runs ${id}, which package.json does not declare`);
        assert.ok(step.media.markdown && existsSync(join(ROOT, step.media.markdown)), `${where}: media ${step.media.markdown} missing`);
        // Without completion events VS Code ticks a step as soon as it is selected.
        assert.ok(step.completionEvents?.length, `${where}: no completion event`);
        for (const event of step.completionEvents) {
          const command = /^onCommand:(.+)$/.exec(event)?.[1];
          if (command) assert.ok(declared.has(command), `${where}: ${event} names no declared command`);
          else assert.match(event, /^onContext:pgdrift\.profileCount >= \d$/, where);
        }
      }
    }
  });
});
