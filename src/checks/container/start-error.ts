import { defineCheck } from '../../engine/check.js';
import { findWinapiErrors } from '../../protocol/parsers/win-errors.js';
import { containerText } from './_container.js';

export default defineCheck({
  meta: {
    id: 'container/start-error',
    title: 'The container started without an HCS error',
    section: 'container',
    link: 'container',
    fault: 'container-start-failed',
    looksAt: 'State.Error of the inspect data; HCS "winapi error #N" numbers are decoded to their NTSTATUS names.',
    why: 'When CCG cannot get the gMSA at start, the Host Compute Service fails the container with an NTSTATUS such as 0xC0020017 (RPC server unavailable).',
    remediation:
      'Read the decoded status: RPC/no-logon-servers mean the host cannot reach a DC or CCG failed (see the CCG events); access denied means the host may not retrieve the password.',
  },
  subject: 'container',
  needs: ['container.inspect'],
  run(facts) {
    const c = facts.get('container.inspect');
    if (c.stateError === undefined && c.seen === 'paste')
      return [
        { severity: 'skipped', subject: c.name, message: `Skipped: the paste does not show how ${c.name} started.` },
      ];
    if (c.stateError === undefined)
      return [{ severity: 'pass', subject: c.name, message: `${containerText(c)} reports no start error.` }];
    const decoded = findWinapiErrors(c.stateError);
    const names = decoded.map((d) => `${d.hex}${d.name ? ` ${d.name} (${d.meaning ?? ''})` : ''}`);
    return [
      {
        severity: 'error',
        subject: c.name,
        message: `${containerText(c)} failed to start: ${c.stateError}${names.length ? ` [${names.join('; ')}]` : ''}`,
        evidence: { stateError: c.stateError, ...(decoded.length ? { decoded } : {}) },
        // The start error is what the host's events say first-hand (Hyper-V-Compute 11507, CCG): they name the cause.
        echoes: 'events/hyperv-external-credentials',
      },
    ];
  },
});
