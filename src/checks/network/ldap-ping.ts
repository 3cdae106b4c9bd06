import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { CldapPing } from '../../facts/network.js';
import { firewallFix, firewallRow, unreachableText } from './_network.js';

const NEEDED_FLAGS = ['LDAP', 'DS', 'KDC', 'WRITABLE'];

function pingFindings(ping: CldapPing): FindingDraft[] {
  if (ping.outcome !== 'ok' || !ping.response) {
    const silent = ping.outcome === 'filtered' || ping.outcome === 'refused' || ping.outcome === 'unreachable';
    return [
      {
        severity: 'error',
        subject: ping.dc,
        message: silent
          ? `LDAP ping (UDP 389) to ${ping.dc} ${unreachableText(ping.outcome, ping.ms)}; ${firewallRow(389)}.`
          : `LDAP ping to ${ping.dc} failed: ${ping.detail ?? ping.outcome}.`,
        remediation: firewallFix(389, 'udp', ping.dc, ping.address),
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
    findings.push({
      severity: 'error',
      subject: ping.dc,
      message: `${r.dnsHostName} does not know the account ${ping.user} (LOGON_SAM_USER_UNKNOWN_EX).`,
      evidence,
      remediation: {
        text: 'Create the gMSA, or fix its name in the credential spec.',
        commands: [`Get-ADServiceAccount -Identity '${ping.user.replace(/\$$/, '')}'`],
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
    looksAt:
      'The CLDAP netlogon ping on UDP 389 ([MS-ADTS] 6.3.3): flags, domain GUID, names, sites, and with --gmsa whether the DC knows the account.',
    why: 'Netlogon in the container picks its DC with this ping; a DC that does not answer it is never used.',
    remediation: 'Allow UDP 389 to the DC; create or fix the account the DC does not know.',
  },
  needs: ['net.cldap'],
  run(facts) {
    return facts.get('net.cldap').flatMap(pingFindings);
  },
});
