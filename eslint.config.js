// Lint: typescript-eslint's recommended rules, React hooks rules for the renderer, and the layers
// (ARCHITECTURE.md, "Folders and which way imports point") as import restrictions per folder.
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
]

/** `no-restricted-imports` with the given import patterns refused, each with why. */
const refuse = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  {
    ignores: [
      'out/',
      'dist/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      // electron-vite's bundled config, there only while a build runs (npm test builds and lints at once).
      'electron.vite.config.ts.*',
      'electron/services/constant-contact/openapi/cc-v3-types.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrors: 'none',
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Control characters in patterns are deliberate here: file names and cells are cleaned of them.
      'no-control-regex': 'off',
      // A variable declared first and set once later is read by closures made before it is set.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'max-len': [
        'error',
        { code: 200, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: refuse(
      {
        regex: '^(?!zod$|\\.)',
        message: 'shared/ is pure TypeScript used by both sides: it imports only shared/ and zod.',
      },
      { regex: '^(\\.\\./)+(electron|renderer|test)(/|$)', message: 'shared/ imports only shared/ and zod.' },
    ),
  },
  {
    files: ['electron/services/**/*.{ts,tsx}', 'electron/cli/**/*.ts', 'electron/web/**/*.ts'],
    rules: refuse(
      {
        group: ['electron', 'electron/*'],
        message:
          'The Node services, the command and the web bridge never import electron (only electron/main and electron/preload do).',
      },
      { regex: '^(\\.\\./)+renderer(/|$)', message: 'The Node side never imports the renderer.' },
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...refuse(
        {
          group: NODE_BUILTINS,
          message: 'The renderer runs in a sandboxed page: no Node modules. Ask main through the contract.',
        },
        {
          group: ['electron', 'electron/*'],
          message: 'The renderer talks to main only through the contract (window.splitsend / the web bridge).',
        },
        {
          regex: '^(\\.\\./)+electron(/|$)',
          message: 'The renderer never imports the Node side; use shared/ and the contract.',
        },
      ),
    },
  },
  {
    // Test doubles stand in for loosely typed things (Electron's API, answers read as JSON).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
)
