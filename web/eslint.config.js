// ESLint (flat config). `npm run lint` runs it with --max-warnings 0; CTest runs that as web_lint.
//
// Beyond the usual TypeScript checks it enforces two habits of the code base:
// - the Rules of Hooks, with exhaustive effect/memo dependencies, as errors;
// - the bulletproof-react boundaries: a feature (src/features/<name>/) never imports another
//   feature, and the shared layers (api/, components/, lib/) never import features or app/.
//   What two features need in common moves to one of the shared layers.

import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// One zone per feature, read from the tree so a new feature is fenced in without editing this.
const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const featureZones = features.map((name) => ({
  target: `./src/features/${name}`,
  from: './src/features',
  except: [`./${name}`],
  message: `Features do not import each other: move what "${name}" needs to components/, lib/ or api/.`,
}));

const sharedZones = ['./src/api', './src/components', './src/lib'].map((target) => ({
  target,
  from: ['./src/features', './src/app'],
  message: 'Shared code (api/, components/, lib/) does not depend on features or the app shell.',
}));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'e2e-results/', 'coverage/', 'src/api/schema.gen.ts'] },
  // A disable comment that no longer suppresses anything is an error too.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      globals: { ...globals.browser },
    },
    plugins: {
      'react-hooks': reactHooks,
      import: importPlugin,
    },
    settings: {
      'import/resolver': {
        // Resolves the `@/` alias through tsconfig.json's paths, so boundaries hold for it too.
        typescript: { project: './tsconfig.json' },
        node: true,
      },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'import/no-restricted-paths': ['error', { zones: [...featureZones, ...sharedZones] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Node-side code: the end-to-end harness and the tool configs.
    files: ['e2e/**/*.ts', '*.config.{js,ts}', 'scripts/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
