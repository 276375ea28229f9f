// Lint: zero warnings (npm run lint passes --max-warnings 0). The layers: src/core imports neither 'vscode'
// nor src/vscode nor src/sandbox; src/sandbox imports neither 'vscode' nor src/core nor src/vscode.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Bundle size: zod's classic API is not tree-shakable (~420 KB). undici (a devDependency for benchmarks) would
// add ~290 KB and bypass VS Code's proxy support, which patches node:http/https.
const smallBundles = [
  { name: 'zod', message: "Use `import * as z from 'zod/mini'` (the classic API adds ~420 KB to each bundle)." },
  { name: 'undici', message: 'Send requests with src/core/http/transport.ts (node:http/https, which VS Code patches for proxies and certificates).' },
];
const noVscodeModule = { name: 'vscode', message: 'src/core and src/sandbox run on plain Node: pass what you need in from src/vscode.' };
// Relative imports that leave the folder for another layer (`../vscode/...`, `../../sandbox/...`).
const layer = (folder, message) => ({ regex: `^(\\.\\./)+${folder}(/|$)`, message });
const coreLayers = {
  'no-restricted-imports': ['error', {
    paths: [noVscodeModule, ...smallBundles],
    patterns: [
      layer('vscode', 'src/core does not depend on the editor: let src/vscode pass what core needs in.'),
      layer('sandbox', 'src/core does not depend on the sandbox: the sandbox is a separate program that core talks to over HTTP.'),
    ],
  }],
};
const sandboxLayers = {
  'no-restricted-imports': ['error', {
    paths: [noVscodeModule, ...smallBundles],
    patterns: [
      layer('core', 'src/sandbox emulates CDF on its own: sharing core code would let a client bug hide in the emulator. Write the sandbox its own.'),
      layer('vscode', 'src/sandbox runs without the editor.'),
    ],
  }],
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
  { files: ['src/core/**/*.ts'], rules: coreLayers },
  { files: ['src/sandbox/**/*.ts'], rules: sandboxLayers },
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
