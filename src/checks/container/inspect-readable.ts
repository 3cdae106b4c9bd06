import { defineCheck } from '../../engine/check.js';

export default defineCheck({
  meta: {
    id: 'container/inspect-readable',
    title: 'Saved docker inspect files are readable',
    section: 'container',
    link: 'container',
    fault: 'input-unreadable',
    looksAt: 'Each --inspect file: JSON, an array of container objects with an Id.',
    why: 'A file that is not `docker inspect` output of a container cannot be judged.',
    remediation: 'Save it again with `docker inspect <container> > inspect.json`.',
  },
  needs: ['docker.inspectProblems'],
  run(facts) {
    const problems = facts.get('docker.inspectProblems');
    if (problems.length === 0) return [{ severity: 'pass', message: 'Every docker inspect file was read.' }];
    return problems.map((p) => ({
      severity: 'error',
      subject: p.file,
      message: `${p.file}${p.field ? ` (${p.field})` : ''}: ${p.reason}`,
      location: { file: p.file, ...(p.field ? { field: p.field } : {}) },
    }));
  },
});
