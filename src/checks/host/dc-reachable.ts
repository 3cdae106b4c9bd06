import { defineCheck } from '../../engine/check.js';
import { captureText, toolMissing } from '../../protocol/parsers/capture.js';
import { parseNltest } from '../../protocol/parsers/nltest.js';

export default defineCheck({
  meta: {
    id: 'host/dc-reachable',
    title: 'The host has a working secure channel to a domain controller',
    section: 'host-domain-joined',
    link: 'host',
    fault: 'host-secure-channel',
    looksAt:
      'The status lines of `nltest /sc_verify:<domain>` run on the host (not its last line, which always says the command completed successfully).',
    why: 'The host retrieves the gMSA password from a DC over its own secure channel; without one, no container on it gets its identity.',
    remediation:
      'Check DNS and the firewall between host and DC, then repair the channel with nltest /sc_reset or Test-ComputerSecureChannel -Repair.',
  },
  needs: ['host.windows', 'host.commands'],
  run(facts) {
    const host = facts.get('host.windows');
    if (!host.domainJoined)
      return [
        { severity: 'skipped', message: 'Skipped: the host is not domain joined (no secure channel of its own).' },
      ];
    const capture = facts.get('host.commands').scVerify;
    if (!capture) return [{ severity: 'skipped', message: 'Skipped: nltest /sc_verify was not run on the host.' }];
    if (toolMissing(capture))
      return [{ severity: 'skipped', message: 'Skipped: nltest is not available on this host.' }];
    const result = parseNltest(captureText(capture));
    const evidence = {
      command: capture.command,
      trustedDc: result.trustedDcName,
      statuses: result.statuses.map((s) => `${s.code} ${s.hex} ${s.name}`),
    };
    if (result.ok)
      return [
        {
          severity: 'pass',
          message: `The host's secure channel to ${result.trustedDcName ?? 'its DC'} is verified (NERR_Success).`,
          evidence,
        },
      ];
    const error = result.error ?? result.failure?.status;
    return [
      {
        severity: 'error',
        subject: host.domain,
        message: error
          ? `${capture.command} on the host failed with ${error.code} ${error.name}${error.meaning ? `: ${error.meaning}` : ''}.`
          : `${capture.command} on the host printed no status line (exit code ${String(capture.exitCode)}).`,
        evidence,
        remediation: {
          text: 'Make the DC resolvable and reachable from the host, then reset the secure channel.',
          commands: [`nltest /dsgetdc:${host.domain ?? '<domain>'}`, `nltest /sc_reset:${host.domain ?? '<domain>'}`],
        },
      },
    ];
  },
});
