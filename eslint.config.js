// @ts-check
import tseslint from 'typescript-eslint';

const coreEntryOnly = {
  patterns: [
    {
      group: ['@switchyard/core/*', '**/core/src/**', '../core/**', '../../core/**'],
      message: 'Adapters import @switchyard/core only through its public entry.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/.tsbuild/**', '**/node_modules/**', 'test-results.json'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core is pure: no Node built-ins, no I/O.
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The core imports no Node module.' },
            {
              group: [
                'fs',
                'path',
                'http',
                'https',
                'net',
                'tls',
                'os',
                'crypto',
                'url',
                'stream',
                'events',
                'child_process',
              ],
              message: 'The core imports no Node module.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['packages/!(core)/**/*.ts', 'examples/**/*.ts', 'benchmarks/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreEntryOnly] },
  },
);
