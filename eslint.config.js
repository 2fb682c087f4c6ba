import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'src/generated/',
      'coverage/',
      'build/',
      'examples/frontend/src/gql/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // The composition root and every module stay readable at a glance (issue 15): wiring grows
    // by new small builders, not by longer functions.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Longer than 80 lines before the rule came, each in a module another change is rewriting
    // (admission, websockets, pagination) or in the simulator and config: split as they are
    // next edited, then taken off this list. Nothing is added to it.
    files: [
      'src/config.ts',
      'src/limits/query-cost.ts',
      'src/playground/index.ts',
      'src/resolvers/firewall-operations.ts',
      'src/simulator/admin.ts',
      'src/simulator/control.ts',
      'src/simulator/server.ts',
      'src/ws/connection.ts',
      'src/ws/server.ts',
    ],
    rules: { 'max-lines-per-function': 'off' },
  },
);
