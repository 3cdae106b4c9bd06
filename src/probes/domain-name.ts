/**
 * The AD domain the network checks look up (DNS records, Kerberos realm): --domain, or, when only --dc was given,
 * the domain the DC names in its answer to the LDAP ping.
 */
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';

export function domainNameProbe(options: CheckOptions): Probe {
  if (options.domain) {
    const domain = options.domain.toLowerCase();
    return {
      id: 'net.domain',
      title: 'taking the domain name from --domain',
      provides: ['net.domain'],
      run: () => Promise.resolve({ 'net.domain': domain }),
    };
  }
  return {
    id: 'net.domain',
    title: "learning the domain name from the DC's answer",
    provides: ['net.domain'],
    needs: ['net.cldap'],
    tolerant: true,
    run: ({ facts }) => {
      const named = (facts.optional('net.cldap') ?? []).find((ping) => ping.response?.dnsDomainName)?.response
        ?.dnsDomainName;
      return Promise.resolve({
        'net.domain': named
          ? named.toLowerCase()
          : unavailable('no --domain given, and no DC answered the LDAP ping with its domain name'),
      });
    },
  };
}
