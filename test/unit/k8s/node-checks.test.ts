// The judgement of `k8s --nodes` results (src/plan/node-checks.ts) on the outcomes the Job runner returns: a node's
// pod log read as `analyze` reads a facts file (damage named with the node and the field, the rest judged), nodes
// skipped for one reason said once, and a Job the run could not remove reported with the command that removes it.
import { beforeAll, describe, expect, it } from 'vitest';
import { factsFromLog, judgeNodeRun } from '../../../src/plan/node-checks.js';
import type { NodeOutcome } from '../../../src/probes/k8s/node-jobs.js';
import { collectLogOfNode } from '../../helpers/crictl-node.js';

let log: string;
beforeAll(async () => {
  log = await collectLogOfNode();
});

const collected = (node: string, text: string): NodeOutcome => ({
  node,
  kind: 'collected',
  job: `gmsa-doctor-node-${node}`,
  pod: `gmsa-doctor-node-${node}-x`,
  log: text,
  exitCode: 0,
  truncated: false,
});

const judge = (outcomes: NodeOutcome[], failed: { job: string; reason: string }[] = []) =>
  judgeNodeRun({ outcomes, cleanup: { deleted: [], failed }, namespace: 'diag', image: 'contoso.azurecr.io/n:1' });

describe('a node-check pod log', () => {
  it('holds the facts file on its own line, whatever standard error wrote around it', () => {
    const [summary, facts] = log.trimEnd().split('\n');
    expect(summary).toMatch(/^gmsa-doctor \S+: \d+ of \d+ facts gathered on .*, written to standard output$/);
    const found = factsFromLog(`${summary}\nwarning: something\n${facts}\nbye\n`);
    expect(found).toMatchObject({ json: { format: 'gmsa-doctor-facts', version: 2 } });
    expect(factsFromLog(`${facts!.slice(0, 500)}\n`)).toMatchObject({
      reason: expect.stringMatching(/^the facts file in the log is not whole JSON/) as unknown,
    });
  });

  it('a damaged fact is an input error naming the node and the field; the node is still judged', async () => {
    const facts = JSON.parse(log.trimEnd().split('\n')[1]!) as { facts: Record<string, unknown> };
    facts.facts['dc.candidates'] = { status: 'ok', value: 'not a list' };
    const judged = await judge([collected('akswin000000', JSON.stringify(facts))]);
    expect(judged.nodes[0]).toMatchObject({
      judged: true,
      inputErrors: [
        {
          file: 'Node/akswin000000 (pod log)',
          field: expect.stringMatching(/^facts\.dc\.candidates/) as unknown,
          reason: expect.stringMatching(/expected array/) as unknown,
        },
      ],
    });
    expect(judged.nodes[0]!.findings.length).toBeGreaterThan(10);
  });

  it('a log that is JSON but no facts file: an input error, the node not judged', async () => {
    const judged = await judge([collected('akswin000001', '{"kind":"Status","status":"Failure"}')]);
    expect(judged.nodes[0]).toMatchObject({ judged: false, findings: [] });
    expect(judged.nodes[0]!.inputErrors[0]).toMatchObject({ file: 'Node/akswin000001 (pod log)' });
  });
});

describe('the run', () => {
  it('NotReady nodes are one finding; a Job left behind is an error with the command that removes it', async () => {
    const judged = await judge(
      [
        { node: 'akswin000002', kind: 'skipped', reason: 'Ready is False (KubeletNotReady)' },
        { node: 'akswin000003', kind: 'skipped', reason: 'Ready is False (KubeletNotReady)' },
      ],
      [{ job: 'gmsa-doctor-node-k2x9q', reason: 'forbidden: needs delete on batch/jobs in namespace "diag"' }],
    );
    expect(judged.runFindings).toEqual([
      expect.objectContaining({
        severity: 'skipped',
        subject: '2 nodes',
        message: 'not checked: Ready is False (KubeletNotReady) (akswin000002, akswin000003)',
      }),
      expect.objectContaining({
        severity: 'error',
        subject: 'diag/Job/gmsa-doctor-node-k2x9q',
        remediation: expect.objectContaining({
          commands: ['kubectl -n diag delete job gmsa-doctor-node-k2x9q --cascade=background'],
        }) as unknown,
      }),
    ]);
  });
});
