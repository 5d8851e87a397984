import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ESLint } from 'eslint';

// The dependency rule of ARCHITECTURE.md, checked by running the project's own lint config.
describe('lint: the engine never imports the editor API', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: join(__dirname, '..', '..') });
  const source = "import * as vscode from 'vscode';\nexport const x = vscode;\n";

  for (const dir of ['src/core/model', 'src/cli', 'src/protocol']) {
    it(`rejects import 'vscode' in ${dir}`, async () => {
      const [result] = await eslint.lintText(source, { filePath: `${dir}/sample.ts` });
      assert.ok(result?.messages.some((m) => m.ruleId === 'no-restricted-imports'), JSON.stringify(result?.messages));
    });
  }

  it("allows import 'vscode' in src/extension", async () => {
    const [result] = await eslint.lintText(source, { filePath: 'src/extension/sample.ts' });
    assert.deepEqual(result?.messages.filter((m) => m.ruleId === 'no-restricted-imports'), []);
  });
});
