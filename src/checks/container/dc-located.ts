import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { ContainerExecFacts, ContainerFacts } from '../../facts/docker.js';
import { toolMissing } from '../../protocol/parsers/capture.js';
import { parseDnsAnswer } from '../../protocol/parsers/dns-script.js';
import { DC_NOT_FOUND, firstError, linuxSkip, nltestOf, none, statusLine } from './_container.js';
import { execName } from './_container.js';

function dnsFinding(c: ContainerFacts, exec: ContainerExecFacts): FindingDraft | undefined {
  if (!exec.dns || !exec.domain || toolMissing(exec.dns)) return undefined;
  const answer = parseDnsAnswer(exec.dns.stdout);
  if (!answer) return undefined;
  if (answer.addresses.length > 0) return undefined;
  return {
    severity: 'error',
    subject: c.name,
    message: `Inside ${c.name}, ${exec.domain} does not resolve${answer.error ? ` (${answer.error})` : ''} with DNS servers ${answer.servers.join(', ') || '(none)'}: the container cannot find a domain controller.`,
    evidence: { domain: exec.domain, dnsServers: answer.servers, configuredDns: c.dns },
    remediation: {
      text: 'Give the container DNS servers that serve the AD domain (the DCs).',
      commands: [
        `docker run --dns <DC address> --security-opt "${c.credentialSpecOption ?? ''}" ${c.image ?? '<image>'}`,
      ],
    },
  };
}

export default defineCheck({
  meta: {
    id: 'container/dc-located',
    title: 'The container can resolve and find a domain controller',
    section: 'container',
    link: 'dc',
    fault: 'container-no-dc',
    looksAt:
      'Inside the container: its DNS servers and the resolution of the domain, `nltest /sc_verify` and `klist get krbtgt` errors that mean no DC was found (ERROR_NO_LOGON_SERVERS 1311, ERROR_NO_SUCH_DOMAIN 1355).',
    why: 'Misconfigured DNS servers in the container are a common culprit: without a DC, neither the secure channel nor Kerberos works.',
    remediation:
      'Point the container at DNS servers that resolve the AD domain and make sure the DC is routable from it.',
  },
  subject: 'container',
  needs: ['container.inspect', 'container.exec'],
  run(facts) {
    const c = facts.get('container.inspect');
    const linux = linuxSkip(c);
    if (linux) return linux;
    const exec = facts.get('container.exec');
    const dns = dnsFinding(c, exec);
    if (dns) return [dns];
    const status = firstError(nltestOf(exec.scVerify));
    if (status && DC_NOT_FOUND.has(status.code)) {
      return [
        {
          severity: 'error',
          subject: c.name,
          message: `Inside ${c.name}, nltest /sc_verify:${exec.domain ?? ''} answers ${status.code} ${status.name}: ${(status.meaning ?? 'no domain controller found').replace(/\.$/, '')}.`,
          evidence: { command: exec.scVerify?.command, status: statusLine(status), configuredDns: c.dns },
          remediation: {
            text: "Check the DNS servers the container uses and that they resolve the domain's SRV records.",
            commands: [
              `docker exec ${execName(c)} nltest /dsgetdc:${exec.domain ?? '<domain>'}`,
              `docker exec ${execName(c)} ipconfig /all`,
            ],
          },
        },
      ];
    }
    if (!exec.scVerify && !exec.dns)
      return none(`no domain was known for ${c.name}, so DC discovery was not tried inside it`);
    return [
      {
        severity: 'pass',
        subject: c.name,
        message: `Inside ${c.name}, ${exec.domain ?? 'the domain'} resolves and a DC answers.`,
      },
    ];
  },
});
