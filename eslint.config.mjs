// One lint rule that matters most: the engine, the CLI and the webview protocol never import
// the editor API, so they run the same in a terminal, in CI and inside VS Code.
import tseslint from 'typescript-eslint';

const noEditorApi = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'src/core, src/cli and src/protocol must not depend on VS Code; put editor glue in src/extension.' }],
  }],
  'no-restricted-modules': 'off',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'out/**', 'bench/tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      ...noEditorApi,
      '@typescript-eslint/no-require-imports': 'error',
    },
  },
);
