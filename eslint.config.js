import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ (README, Architecture): each may import only the layers below it. facts/ is the bottom (the
 * zod schemas of every fact); cli/ the top. An import that crosses the other way fails `npm run lint`.
 */
const LAYERS = [
  'facts',
  'protocol',
  'credspec',
  'engine',
  'probes',
  'evidence',
  'checks',
  'k8s',
  'report',
  'plan',
  'cli',
];
const MAY_NOT_IMPORT = {
  facts: ['protocol', 'credspec', 'engine', 'probes', 'evidence', 'checks', 'k8s', 'report', 'plan', 'cli'],
  protocol: ['credspec', 'engine', 'probes', 'evidence', 'checks', 'k8s', 'report', 'plan', 'cli'],
  credspec: ['engine', 'probes', 'evidence', 'checks', 'k8s', 'report', 'plan', 'cli'],
  engine: ['protocol', 'credspec', 'probes', 'evidence', 'checks', 'k8s', 'report', 'plan', 'cli'],
  probes: ['evidence', 'checks', 'k8s', 'report', 'plan', 'cli'],
  // Pasted-evidence recognisers yield facts as probes do, without I/O.
  evidence: ['probes', 'checks', 'k8s', 'report', 'plan', 'cli'],
  // Checks judge facts: their types come from facts/, never from the probes that gather them.
  checks: ['probes', 'evidence', 'k8s', 'report', 'plan', 'cli'],
  // Kubernetes judgement: manifests and cluster objects in, findings out; it reuses the credential spec checks.
  k8s: ['probes', 'evidence', 'report', 'plan', 'cli'],
  report: ['credspec', 'probes', 'evidence', 'checks', 'k8s', 'plan', 'cli'],
  plan: ['report', 'cli'],
  cli: [],
};

const layerRules = LAYERS.filter((layer) => MAY_NOT_IMPORT[layer].length > 0).map((layer) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: MAY_NOT_IMPORT[layer].map((other) => ({
          regex: `^(\\.\\./)+${other}/`,
          message: `src/${layer}/ may not import src/${other}/ (the layers of README.md, Architecture: ${layer} is below ${other}).`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  // Bench scripts and examples are plain ESM run against dist/ (the package test runs the library example); the lab
  // relay is a plain Node script.
  {
    ignores: [
      'dist/',
      'node_modules/',
      'scripts/',
      'coverage/',
      'bench/**/*.js',
      'bench/**/*.mjs',
      'bin/',
      'test/output/',
      'build/',
      '.cache/',
      'examples/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  ...layerRules,
  {
    // Tests build and mutate untyped JSON documents on purpose.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
