import { defineCheck } from '../../engine/check.js';
import type { CommandCapture } from '../../facts/common.js';
import { toolMissing } from '../../protocol/parsers/capture.js';
import { linuxSkip } from './_container.js';

export default defineCheck({
  meta: {
    id: 'container/tools-present',
    title: 'The diagnostic tools exist in the container image',
    section: 'container',
    link: 'container',
    looksAt: 'Whether whoami, nltest, klist and PowerShell could be started through docker exec.',
    why: 'Nano Server and trimmed images lack some of them; a missing tool is not a failed check, but leaves it unjudged.',
    remediation: 'Run the checks from a Server Core based image, or copy the tool into the container for the test.',
  },
  subject: 'container',
  needs: ['container.inspect', 'container.exec'],
  run(facts) {
    const c = facts.get('container.inspect');
    const linux = linuxSkip(c);
    if (linux) return linux;
    const exec = facts.get('container.exec');
    const missing = (['whoami', 'query', 'scVerify', 'klist', 'dns'] as const)
      .map((k) => exec[k])
      .filter((capture): capture is CommandCapture => capture !== undefined && toolMissing(capture))
      .map((capture) => capture.command.split(' ').slice(3, 4).join(''));
    if (missing.length === 0)
      return [{ severity: 'pass', subject: c.name, message: `Every diagnostic tool ran inside ${c.name}.` }];
    return [
      {
        severity: 'warning',
        subject: c.name,
        message: `Not in the image of ${c.name}: ${[...new Set(missing)].join(', ')}; the checks that need them could not run inside.`,
        evidence: { image: c.image },
      },
    ];
  },
});
