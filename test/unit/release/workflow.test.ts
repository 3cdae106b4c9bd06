/**
 * The release workflow cannot run here: it is validated against GitHub's published workflow schema (SchemaStore,
 * test/fixtures/schemas/PROVENANCE.md) and against this repository (the scripts and files it names exist).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WORKFLOW_FILE = join(ROOT, '.github', 'workflows', 'release.yml');
const SCHEMA = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'schemas', 'github-workflow.json'), 'utf8'),
) as object;
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

interface Step {
  uses?: string;
  run?: string;
}
interface Job {
  needs?: string | string[];
  steps: Step[];
}
interface Workflow {
  jobs: Record<string, Job>;
}

const validate = new Ajv({ strict: false, allErrors: true }).compile(SCHEMA);
const workflow = parse(readFileSync(WORKFLOW_FILE, 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.flatMap((step) => (step.run ? step.run.split('\n') : []));

describe('the release workflow', () => {
  it('is valid against the published GitHub workflow schema', () => {
    expect(validate(workflow), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema does catch a broken workflow (a job without runs-on)', () => {
    const broken = structuredClone(workflow) as unknown as { jobs: Record<string, Record<string, unknown>> };
    delete broken.jobs.build!['runs-on'];
    expect(validate(broken)).toBe(false);
  });

  it('needs only jobs that exist', () => {
    const names = new Set(Object.keys(workflow.jobs));
    for (const job of Object.values(workflow.jobs))
      for (const need of [job.needs ?? []].flat()) expect(names).toContain(need);
  });

  it('pins every action to a major version or a commit', () => {
    for (const { uses } of steps.filter((s) => s.uses)) expect(uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+|[0-9a-f]{40})$/);
  });

  it('runs npm scripts and repository files that exist', () => {
    for (const script of runs.flatMap((line) => [...line.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!)))
      expect(SCRIPTS).toHaveProperty([script]);
    for (const file of runs.flatMap((line) =>
      [...line.matchAll(/(?:node|bash) ((?:scripts|\.ci)\/[\w./-]+)/g)].map((m) => m[1]!),
    )) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
  });

  it('builds the exe and the tarball, and publishes both with their SHA-256 sums', () => {
    expect(runs).toContain('npm run build:exe');
    expect(runs.some((line) => line.startsWith('npm pack'))).toBe(true);
    expect(runs.some((line) => line.includes('SHA256SUMS') || line.includes('checksums.mjs'))).toBe(true);
    expect(runs.some((line) => line.startsWith('gh release create') && line.includes('release/*'))).toBe(true);
  });
});
