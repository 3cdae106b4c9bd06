import { defineCheck } from '../../engine/check.js';
import { credspecIdentity } from '../../credspec/identity.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { CredSpecDocument } from '../../facts/credspec.js';

function hostAccountSpecs(documents: readonly CredSpecDocument[]): CredSpecDocument[] {
  return documents.filter((d) => credspecIdentity(d.spec).pluginGuid !== undefined);
}

export default defineCheck({
  meta: {
    id: 'host/domain-joined',
    title: 'The host is domain joined, or its credential specs use a CCG plugin',
    section: 'host-domain-joined',
    link: 'host',
    fault: 'host-not-joined',
    looksAt: 'Win32_ComputerSystem PartOfDomain and Domain; the domain and HostAccountConfig of the credential specs.',
    why: "A domain-joined host retrieves the gMSA password with its own computer account; a non-domain-joined host needs a CCG plugin (HostAccountConfig) instead. The gMSA must be in the host's domain.",
    remediation:
      "Join the host to the gMSA's domain, or add HostAccountConfig (PortableCcgVersion, PluginGUID, PluginInput) to the credential spec.",
  },
  needs: ['host.windows'],
  uses: ['credspec.documents'],
  run(facts) {
    const host = facts.get('host.windows');
    const documents = facts.optional('credspec.documents') ?? [];
    const subject = host.computerName;
    if (!host.domainJoined) {
      const portable = hostAccountSpecs(documents);
      if (portable.length > 0)
        return [
          {
            severity: 'pass',
            subject,
            message: `${host.computerName ?? 'The host'} is not domain joined; its credential specs use a CCG plugin (HostAccountConfig): see the non-domain-joined checks.`,
          },
        ];
      return [
        {
          severity: 'error',
          subject,
          message: `${host.computerName ?? 'The host'} is not domain joined and no credential spec has HostAccountConfig: nothing can retrieve the gMSA password.`,
          remediation: {
            text: 'Join the host to the domain, or use a CCG plugin and regenerate the spec with its HostAccountConfig.',
            commands: ['Add-Computer -DomainName <domain> -Restart'],
          },
        },
      ];
    }
    const foreign = documents.filter((d) => {
      const spec = credspecIdentity(d.spec);
      return (
        spec.dnsName !== undefined &&
        spec.pluginGuid === undefined &&
        spec.dnsName.value.toLowerCase() !== host.domain?.toLowerCase()
      );
    });
    if (foreign.length > 0) {
      return foreign.map((d): FindingDraft => {
        const specDomain = credspecIdentity(d.spec).dnsName?.value;
        return {
          severity: 'error',
          fault: 'host-wrong-domain',
          subject: d.file,
          message: `${host.computerName ?? 'The host'} is joined to ${host.domain ?? '?'}, but ${d.file} names a gMSA of ${specDomain ?? '?'}: a domain-joined host can only retrieve gMSA passwords of its own domain.`,
          evidence: { hostDomain: host.domain, specDomain },
          remediation: {
            text: "Use a gMSA of the host's domain, or a CCG plugin (HostAccountConfig) for the other domain.",
          },
        };
      });
    }
    return [
      {
        severity: 'pass',
        subject,
        message: `${host.computerName ?? 'The host'} is joined to ${host.domain ?? 'a domain'}.`,
        evidence: { domain: host.domain },
      },
    ];
  },
});
