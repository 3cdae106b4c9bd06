import { defineCheck } from '../../engine/check.js';
import type { AdConnection } from '../../facts/ad.js';

const CONNECTION_ADVICE: Record<string, (c: AdConnection) => { text: string; commands?: string[] }> = {
  'strong-auth-required': () => ({
    text: 'The DC refuses simple binds over plain LDAP (LDAP signing / "strong auth required"). Use LDAPS (the default, --ldap ldaps) or StartTLS (--ldap starttls), with --ca FILE to verify the DC certificate.',
  }),
  'invalid-credentials': (c) => ({ text: invalidCredentialsAdvice(c.problem?.dataCode, c.identity) }),
  unreachable: (c) => ({
    text: `Nothing answered on ${c.address ?? c.dc} port ${c.port}. Check that the DC is up, that a firewall lets TCP ${c.port} through, and that --dc/DNS point at a real DC.`,
    commands: [`Test-NetConnection ${c.dc} -Port ${c.port}`],
  }),
  timeout: (c) => ({
    text: `No answer from ${c.address ?? c.dc} port ${c.port} before the deadline: a firewall probably drops the packets, or the DC is overloaded. Raise --timeout to tell a slow DC from a blocked port.`,
    commands: [`Test-NetConnection ${c.dc} -Port ${c.port}`],
  }),
  'tls-certificate': () => ({
    text: "The DC's certificate could not be verified. Pass the CA that issued it with --ca FILE (PEM); connect by the name the certificate carries; --insecure-tls skips the check (not recommended).",
  }),
  kerberos: () => ({
    text: 'The Kerberos (GSSAPI) bind failed: get a ticket first (kinit user@REALM on Linux, a domain logon on Windows), check KRB5CCNAME/KRB5_CONFIG, and reach the DC by its host name (the service ticket is for ldap/<dc name>).',
    commands: ['klist'],
  }),
  'integrated-auth-unavailable': () => ({
    text: 'This machine cannot use integrated authentication (no SSPI through koffi on Windows, no kerberos addon elsewhere): bind with a user instead, with --user USER@DOMAIN and the password from GMSA_DOCTOR_PASSWORD, --password-file FILE or the prompt (never on the command line). On Linux, `npm install kerberos` (it needs a compiler and libkrb5-dev) enables --kerberos.',
    commands: [
      'export GMSA_DOCTOR_PASSWORD=...   # or --password-file FILE, or answer the prompt',
      'gmsa-doctor check ... --user USER@DOMAIN',
    ],
  }),
  'bind-required': (c) => ({
    text: `The DC answers only the rootDSE without a bind: bind as a domain user (--user USER with GMSA_DOCTOR_PASSWORD or --password-file) or with a Kerberos ticket (kinit, then run again). Any domain user may read what the checks need.${c.integratedAuth ? ` Kerberos was tried first: ${c.integratedAuth}.` : ''}`,
  }),
  'no-dc': () => ({
    text: 'No domain controller to talk to: pass --dc HOST, or --domain with a DNS server that answers _ldap._tcp.dc._msdcs.DOMAIN.',
  }),
  other: () => ({ text: 'See the detail; re-run with --dc pointing at a known-good DC.' }),
};

/** What AD's invalidCredentials sub-code ("data 52e") means, and what to do about it. */
export function invalidCredentialsAdvice(dataCode: string | undefined, identity: string | undefined): string {
  const who = identity ?? 'the bind user';
  switch (dataCode?.toLowerCase()) {
    case '525':
      return `${who} does not exist (AD sub-code 525): check the user name (user@domain or DOMAIN\\user).`;
    case '52e':
      return `Wrong password for ${who} (AD sub-code 52e): check GMSA_DOCTOR_PASSWORD or --password-file.`;
    case '530':
      return `${who} may not log on at this time (AD sub-code 530): see the account's logon hours.`;
    case '531':
      return `${who} may not log on from this workstation (AD sub-code 531): see the account's userWorkstations.`;
    case '532':
      return `The password of ${who} has expired (AD sub-code 532): change it (Ctrl+Alt+Del or Set-ADAccountPassword), then retry.`;
    case '533':
      return `${who} is disabled (AD sub-code 533): enable it or bind as another user.`;
    case '701':
      return `${who} has expired (AD sub-code 701): extend accountExpires or bind as another user.`;
    case '773':
      return `${who} must change its password before logging on (AD sub-code 773, "User must change password at next logon"): set a new password, then retry.`;
    case '775':
      return `${who} is locked out (AD sub-code 775): wait for the lockout to end or unlock it (Unlock-ADAccount).`;
    default:
      return `The DC rejected the credentials of ${who}${dataCode ? ` (AD sub-code ${dataCode})` : ''}: check the user name and password.`;
  }
}

function connectionMessage(c: AdConnection): string {
  const p = c.problem!;
  const where = `${c.dc}:${c.port}`;
  switch (p.kind) {
    case 'strong-auth-required':
      return `${where} requires strong authentication (LDAP result 8): a simple bind over plain LDAP is refused`;
    case 'invalid-credentials':
      return `${where} rejected the bind of ${c.identity ?? 'the user'} (LDAP result 49${p.dataCode ? `, AD sub-code ${p.dataCode}` : ''})`;
    case 'unreachable':
      return `DC ${where} is unreachable: ${p.detail}`;
    case 'timeout':
      return `DC ${where} did not answer in time: ${p.detail}`;
    case 'tls-certificate':
      return `The certificate of ${where} is not trusted: ${p.detail}`;
    case 'kerberos':
      return `Kerberos (GSSAPI) bind to ${where} failed: ${p.detail}`;
    case 'integrated-auth-unavailable':
      return `No Kerberos bind to ${where}: ${p.detail}`;
    case 'no-dc':
      return `No domain controller found: ${p.detail}`;
    case 'bind-required':
      return `no credentials given: ${where} does not let an anonymous session read the directory`;
    default:
      return `LDAP session with ${where} failed: ${p.detail}`;
  }
}

export default defineCheck({
  meta: {
    id: 'account/ldap-connection',
    title: 'Read the gMSA from Active Directory over LDAP',
    section: 'account',
    link: 'dc',
    looksAt:
      'The LDAP session to the DC: transport (LDAPS, StartTLS, LDAP), certificate, bind (simple, Kerberos, anonymous).',
    why: 'Every account check reads AD; when the session fails, the reason (strong auth required, wrong or expired password, unreachable DC, certificate) is itself the finding.',
    remediation: 'Use LDAPS or StartTLS with --ca, a valid account or a Kerberos ticket, and a reachable DC.',
  },
  needs: ['ad.connection'],
  run(facts) {
    const c = facts.get('ad.connection');
    const subject = `${c.transport}://${c.dc}:${c.port}`;
    const evidence = {
      dc: c.dc,
      address: c.address,
      port: c.port,
      transport: c.transport,
      bind: c.bind,
      identity: c.identity,
      problem: c.problem,
    };
    if (c.ok) {
      return [
        {
          severity: 'pass',
          subject,
          evidence,
          message: `Read AD from ${c.dc} over ${c.transport.toUpperCase()} with a ${c.bind} bind${c.identity ? ` as ${c.identity}` : ''}`,
        },
      ];
    }
    const problem = c.problem ?? { kind: 'other', detail: 'unknown failure' };
    const advice = (CONNECTION_ADVICE[problem.kind] ?? CONNECTION_ADVICE.other!)(c);
    // No credentials where the DC wants them is a usage problem (reported as such), not a fault of the DC.
    const severity = problem.kind === 'bind-required' ? 'skipped' : 'error';
    return [{ severity, subject, evidence, message: connectionMessage(c), remediation: advice }];
  },
});
