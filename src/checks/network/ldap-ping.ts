import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { CldapPing, PortResult } from '../../facts/network.js';
import { closedPort, deferredToFirewall, firewallFix, firewallRow, unreachableText } from './_network.js';

const NEEDED_FLAGS = ['LDAP', 'DS', 'KDC', 'WRITABLE'];

function pingFindings(ping: CldapPing, ports: readonly PortResult[] | undefined): FindingDraft[] {
  if (ping.outcome !== 'ok' || !ping.response) {
    const silent = ping.outcome === 'filtered' || ping.outcome === 'refused' || ping.outcome === 'unreachable';
    const closed = silent ? closedPort(ports, ping.dc, 389, 'udp') : undefined;
    if (closed) return [deferredToFirewall(ping.dc, 'the LDAP ping', [closed])];
    return [
      {
        severity: 'error',
        subject: ping.dc,
        ...(silent
          ? {
              message: `LDAP ping (UDP 389) to ${ping.dc} ${unreachableText(ping.outcome, ping.ms, 'udp')}; ${firewallRow(389)}.`,
              remediation: firewallFix(389, 'udp', ping.dc, ping.address),
            }
          : {
              fault: 'dc-answer-invalid',
              message: `LDAP ping to ${ping.dc} failed: ${ping.detail ?? ping.outcome}.`,
            }),
      },
    ];
  }
  const r = ping.response;
  const evidence = {
    flags: `0x${r.flags.toString(16)} ${r.flagNames.join(' ')}`,
    domainGuid: r.domainGuid,
    forest: r.dnsForestName,
    domain: r.dnsDomainName,
    dcName: r.dnsHostName,
    netbios: `${r.netbiosDomainName}\\${r.netbiosComputerName}`,
    dcSite: r.dcSiteName,
    clientSite: r.clientSiteName || '(none: this address is in no AD site)',
  };
  const findings: FindingDraft[] = [];
  const missing = NEEDED_FLAGS.filter((f) => !r.flagNames.includes(f));
  if (missing.length > 0) {
    findings.push({
      severity: 'warning',
      subject: ping.dc,
      message: `${r.dnsHostName} lacks ${missing.join(', ')} in its netlogon flags: it cannot serve every request of a gMSA container.`,
      evidence,
    });
  }
  if (ping.user && r.opcode === 25) {
    // The ping asks for a workstation trust account (AAC 0x80): what AD says first-hand is account/exists's and
    // account/workstation-trust-flag's finding; this one is the DC's echo of it, in the account link.
    const bare = ping.user.replace(/\$$/, '');
    findings.push({
      severity: 'error',
      fault: 'account-unusable',
      link: 'account',
      echoes: 'account/exists',
      subject: ping.dc,
      message: `${r.dnsHostName} does not know ${ping.user} as a workstation trust account (LOGON_SAM_USER_UNKNOWN_EX): the gMSA does not exist, is disabled, or lacks WORKSTATION_TRUST_ACCOUNT.`,
      evidence,
      remediation: {
        text: 'Create or enable the gMSA, give it WORKSTATION_TRUST_ACCOUNT, or fix its name in the credential spec.',
        commands: [`Get-ADServiceAccount -Identity '${bare}' -Properties userAccountControl`],
      },
    });
  }
  if (findings.length === 0) {
    const about = ping.user ? `, knows ${ping.user}` : '';
    findings.push({
      severity: 'pass',
      subject: ping.dc,
      message: `${r.dnsHostName} answers the LDAP ping (site ${r.dcSiteName}${about}) in ${ping.ms} ms.`,
      evidence,
    });
  }
  return findings;
}

export default defineCheck({
  meta: {
    id: 'network/ldap-ping',
    title: 'Each DC answers the LDAP ping (nltest /dsgetdc)',
    section: 'network',
    link: 'dc',
    fault: 'port-blocked',
    looksAt:
      'The CLDAP netlogon ping on UDP 389 ([MS-ADTS] 6.3.3): flags, domain GUID, names, sites, and with --gmsa whether the DC knows the account.',
    why: 'Netlogon in the container picks its DC with this ping; a DC that does not answer it is never used.',
    remediation: 'Allow UDP 389 to the DC; create or fix the account the DC does not know.',
  },
  needs: ['net.cldap'],
  uses: ['net.ports'],
  run(facts) {
    const ports = facts.optional('net.ports');
    return facts.get('net.cldap').flatMap((ping) => pingFindings(ping, ports));
  },
});
