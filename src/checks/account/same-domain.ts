import { defineCheck } from '../../engine/check.js';
import { domainOfSid } from '../../protocol/sid.js';
import { accountLabel, foundGmsa, notFound } from './_account.js';

export default defineCheck({
  meta: {
    id: 'account/same-domain',
    title: 'The gMSA and the container host are in the same domain',
    section: 'account',
    link: 'account',
    looksAt: "The domain part of the gMSA's and the host computer's objectSid, against the domain's SID.",
    why: 'A domain-joined host can only retrieve the password of a gMSA of its own domain.',
    remediation: "Use a gMSA of the host's domain, or join the host to the gMSA's domain.",
  },
  subject: 'gmsa',
  needs: ['ad.gmsa', 'ad.host', 'ad.domain'],
  run(facts) {
    const domain = facts.get('ad.domain');
    const gmsa = foundGmsa(facts);
    if (!gmsa) return [notFound(facts)];
    const { name, host, domain: hostDomain, given } = facts.get('ad.host');
    if (!host && hostDomain && hostDomain !== domain.dnsName.toLowerCase()) {
      return [
        {
          severity: 'error',
          subject: `${name}.${hostDomain}`,
          message: `The host ${name}.${hostDomain} is in ${hostDomain}, the gMSA ${accountLabel(gmsa)} in ${domain.dnsName}: a domain-joined host cannot retrieve the password of another domain's gMSA`,
          evidence: { hostDomain, gmsaDomain: domain.dnsName },
          remediation: {
            text: `Create the gMSA in ${hostDomain} (and a credential spec for it), or run the container on a host joined to ${domain.dnsName}.`,
          },
        },
      ];
    }
    if (!host && given) {
      // A --host that names no computer is the user's typo more often than a host of another domain: a usage error.
      return [
        {
          severity: 'skipped',
          subject: `${name}$`,
          message: `not judged: --host ${name} names no computer of ${domain.dnsName} (a usage error: pass the host's computer name, or its full DNS name when it is in another domain)`,
        },
      ];
    }
    if (!host) {
      return [
        {
          severity: 'error',
          subject: `${name}$`,
          message: `Computer ${name}$ is not in ${domain.dnsName}, the gMSA's domain: a host joined to another domain cannot retrieve ${accountLabel(gmsa)}'s password`,
          evidence: { searched: `(sAMAccountName=${name}$)`, domain: domain.dnsName },
          remediation: {
            text: `Check the host name; if the host belongs to another domain, use a gMSA of that domain or join the host to ${domain.dnsName}.`,
          },
        },
      ];
    }
    const evidence = { domainSid: domain.sid, gmsaSid: gmsa.objectSid, hostSid: host.objectSid };
    const gmsaDomainSid = domainOfSid(gmsa.objectSid);
    const hostDomainSid = domainOfSid(host.objectSid);
    if (gmsaDomainSid !== hostDomainSid || gmsaDomainSid !== domain.sid) {
      return [
        {
          severity: 'error',
          subject: accountLabel(host),
          evidence,
          message: `${accountLabel(gmsa)} (domain ${gmsaDomainSid ?? '?'}) and ${accountLabel(host)} (domain ${hostDomainSid ?? '?'}) are not in the same domain`,
          remediation: { text: "Use a gMSA of the host's domain." },
        },
      ];
    }
    return [
      {
        severity: 'pass',
        subject: accountLabel(host),
        evidence,
        message: `${accountLabel(gmsa)} and ${accountLabel(host)} are both in ${domain.dnsName} (${domain.sid})`,
      },
    ];
  },
});
