import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Boundaries from docs/ARCHITECTURE.md, enforced here rather than in review.
const forbid = (patterns, message) => ['error', { patterns: patterns.map((pattern) => ({ group: [pattern], message })) }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', '.coffer/**'] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through src/config' }],
    },
  },
  { files: ['src/config/**', 'src/cli/**', 'test/**', 'scripts/**'], rules: { 'no-restricted-properties': 'off' } },
  // The console runs in the browser and talks to the server over HTTP only.
  {
    files: ['web/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': forbid(['**/src/**', 'node:*', 'fastify'], 'web/ is a client of the public HTTP APIs') },
  },
  { files: ['web/vite.config.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': forbid(
        ['**/storage/**', '**/http/**', '**/cli/**', '**/config/**', 'fastify', 'pg', 'better-sqlite3', 'pino'],
        'core/ is transport- and database-neutral',
      ),
    },
  },
  {
    files: ['src/crypto/**', 'src/shared/**'],
    rules: { 'no-restricted-imports': forbid(['**/core/**', '**/storage/**', '**/http/**', '**/cli/**'], 'crypto/ and shared/ depend on nothing in src/') },
  },
  {
    files: ['src/hsm/**'],
    rules: { 'no-restricted-imports': forbid(['**/core/**', '**/storage/**', '**/http/**', '**/cli/**', '**/config/**'], 'hsm/ talks to the PKCS#11 device; it knows crypto/ and shared/ only') },
  },
  {
    files: ['src/storage/**'],
    rules: { 'no-restricted-imports': forbid(['**/http/**', '**/cli/**', '**/crypto/**', 'fastify'], 'storage/ sees only ciphertext and core ports') },
  },
  {
    files: ['src/http/**'],
    rules: { 'no-restricted-imports': forbid(['**/storage/**', '**/crypto/**', '**/cli/**', 'pg', 'better-sqlite3'], 'http/ adapters talk to core services only') },
  },
  {
    files: ['src/cli/**'],
    rules: { 'no-restricted-imports': forbid(['**/storage/**', '**/core/**', '**/http/**', '**/crypto/**'], 'the CLI is a client of the HTTP API') },
  },
);
