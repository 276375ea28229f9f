// Lint: zero warnings (npm run lint passes --max-warnings 0); src/core and src/sandbox never import 'vscode'.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Bundle size: zod's classic API is not tree-shakable (~420 KB), and undici's index pulls in all of undici.
const smallBundles = [
  { name: 'zod', message: "Use `import * as z from 'zod/mini'` (the classic API adds ~420 KB to each bundle)." },
  { name: 'undici', allowTypeImports: true, message: 'Use src/core/http/undici.ts: it loads only the undici modules we use, on first use.' },
];
const noVscode = {
  'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core and src/sandbox run on plain Node: pass what you need in from src/vscode.' }, ...smallBundles] }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/host/**/*.js', 'test/e2e/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'eqeqeq': ['error', 'smart'],
      'no-console': 'off',
    },
  },
  { files: ['src/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: smallBundles }] } },
  { files: ['src/core/**/*.ts', 'src/sandbox/**/*.ts'], rules: noVscode },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
