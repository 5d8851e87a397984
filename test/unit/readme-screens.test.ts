import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The README's pictures are the test bench's: every image README.md links under docs/screenshots/
 * is there and is one the VS Code suite test/vscode/suites/readme-screens.test.ts takes
 * (readmeScreenshot writes it there), and every picture there is linked. A picture renamed, added
 * or dropped on either side fails here.
 */
const ROOT = join(__dirname, '..', '..');
const DIR = 'docs/screenshots';
const SUITE = 'test/vscode/suites/readme-screens.test.ts';

/** The file names of the images `markdown` links under docs/screenshots/ (Markdown or <img>). */
function readmeImages(markdown: string): string[] {
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<img\b[^>]*\bsrc=["']([^"']+)["']/g)].map((m) => m[1] ?? m[2] ?? '');
  return links.map((l) => l.replace(/^\.\//, '')).filter((l) => l.startsWith(`${DIR}/`)).map((l) => l.slice(DIR.length + 1));
}

/** The pictures a suite's source asks readmeScreenshot for, as file names. */
function suiteScreens(source: string): string[] {
  return [...source.matchAll(/\breadmeScreenshot\(\s*(['"`])([A-Za-z0-9._-]+)\1/g)].map((m) => `${m[2]}.png`);
}

describe('README screenshots: README.md, docs/screenshots/ and the VS Code suite agree', function () {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const linked = readmeImages(readme);
  const produced = suiteScreens(readFileSync(join(ROOT, SUITE), 'utf8'));
  const dir = join(ROOT, DIR);
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.png')) : [];

  it('reads image links and screenshot names as written', function () {
    assert.deepEqual(readmeImages('![a](docs/screenshots/a.png)\n![b](./docs/screenshots/b.png "B")\n<img src="docs/screenshots/c.png" width="600">\n![x](media/x.png) [d](docs/screenshots/d.png)'),
      ['a.png', 'b.png', 'c.png']);
    assert.deepEqual(suiteScreens("await readmeScreenshot('one', { settleMs: 1 });\nawait screenshot('not-this');\nreadmeScreenshot(\"two\")"), ['one.png', 'two.png']);
  });

  it('the suite takes pictures, and the README links some', function () {
    assert.ok(produced.length > 0, `${SUITE} calls readmeScreenshot`);
    assert.ok(linked.length > 0, `README.md links images under ${DIR}/`);
  });

  it('every image the README links is in docs/screenshots/', function () {
    assert.deepEqual(linked.filter((name) => !present.includes(name)), [], `linked from README.md but not in ${DIR}/ (run the VS Code suite "README screens")`);
  });

  it('every image the README links is one the suite takes', function () {
    assert.deepEqual(linked.filter((name) => !produced.includes(name)), [], `linked from README.md but not taken by ${SUITE}`);
  });

  it('every picture the suite takes is linked from the README', function () {
    assert.deepEqual(produced.filter((name) => !linked.includes(name)), [], `taken by ${SUITE} but not linked from README.md`);
  });

  it('every picture in docs/screenshots/ is linked from the README', function () {
    assert.deepEqual(present.filter((name) => !linked.includes(name)), [], `in ${DIR}/ but not linked from README.md`);
  });
});
