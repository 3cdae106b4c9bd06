/**
 * The layers hold because `npm run lint` refuses an import that crosses them the wrong way (eslint.config.js,
 * no-restricted-imports per directory). Each import is linted as if it were written in a file of that layer.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  cwd: new URL('../../..', import.meta.url).pathname,
  // The layer rules need no type information; the virtual files are in no TypeScript project.
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
});

async function lintImport(file: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import type { X } from '${from}';\nexport type Y = X;\n`, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering (npm run lint)', () => {
  it.each([
    ['src/checks/account/exists.ts', '../../probes/ldap.js', /src\/checks\/ may not import src\/probes\//],
    ['src/probes/ldap.ts', '../checks/index.js', /src\/probes\/ may not import src\/checks\//],
    ['src/credspec/parse.ts', '../checks/index.js', /src\/credspec\/ may not import src\/checks\//],
    ['src/protocol/sid.ts', '../engine/facts.js', /src\/protocol\/ may not import src\/engine\//],
    ['src/engine/runner.ts', '../plan/plan.js', /src\/engine\/ may not import src\/plan\//],
    ['src/report/text.ts', '../checks/index.js', /src\/report\/ may not import src\/checks\//],
    ['src/facts/ad.ts', '../engine/facts.js', /src\/facts\/ may not import src\/engine\//],
    ['src/plan/plan.ts', '../cli/output.js', /src\/plan\/ may not import src\/cli\//],
  ])('refuses %s importing %s', async (file, from, message) => {
    expect(await lintImport(file, from)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['src/checks/account/exists.ts', '../../facts/ad.js'],
    ['src/checks/host/can-retrieve-password.ts', '../account/_account.js'],
    ['src/probes/ldap.ts', '../facts/ad.js'],
    ['src/plan/plan.ts', '../checks/index.js'],
    ['src/cli/check.ts', '../plan/plan.js'],
  ])('lets %s import %s', async (file, from) => {
    expect(await lintImport(file, from)).toEqual([]);
  });
});
