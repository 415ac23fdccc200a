// ESLint flat config: typescript-eslint's recommended rules, plus the project's
// determinism rule (STYLE.md): no wall-clock time or unseeded randomness under
// src/ outside the CLI edge (src/commands/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const determinism = {
  'no-restricted-globals': [
    'error',
    { name: 'Date', message: 'No wall-clock time under src/: use the engine clock (sim/engine).' },
    { name: 'performance', message: 'No wall-clock time under src/: use the engine clock.' },
    { name: 'setTimeout', message: 'No real timers under src/: schedule an engine event.' },
    { name: 'setInterval', message: 'No real timers under src/: schedule an engine event.' },
    { name: 'process', message: 'process.* belongs to the CLI edge (src/commands/).' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use the seeded RNG (sim/rng) forked per subsystem.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', setImmediate: 'readonly', globalThis: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // A simulated program is a generator even when it makes no system call (true(1)).
      'require-yield': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/commands/**', 'src/cli/**'],
    rules: determinism,
  },
);
