import { defineCheck } from '../../engine/check.js';

export default defineCheck({
  meta: {
    id: 'container/inspect-readable',
    title: 'Saved docker inspect files are readable',
    section: 'container',
    // About the file given, not the container: never the most likely cause.
    link: null,
    looksAt: 'Each --inspect file: JSON, an array of container objects with an Id.',
    why: 'A file that is not `docker inspect` output of a container cannot be judged.',
    remediation: 'Save it again with `docker inspect <container> > inspect.json`.',
  },
  needs: ['docker.inspectProblems'],
  run(facts) {
    const problems = facts.get('docker.inspectProblems');
    if (problems.length === 0) return [{ severity: 'pass', message: 'Every docker inspect file was read.' }];
    // A problem without a field: the file could not be read at all, an input error of the run (not judged here).
    return problems.map((p) => ({
      severity: p.field ? 'error' : 'skipped',
      subject: p.file,
      message: p.field ? `${p.file} (${p.field}): ${p.reason}` : `not judged: ${p.file}: ${p.reason} (an input error)`,
      location: { file: p.file, ...(p.field ? { field: p.field } : {}) },
    }));
  },
});
