/**
 * "Check the gMSA account": the account in AD, read over LDAP (no RSAT, no Windows). Pure judgement of the
 * facts the LDAP probe gathered.
 */
import { defineCheck } from '../engine/check.js';
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft } from '../engine/finding.js';
import { domainOfSid } from '../protocol/sid.js';
import { AES_MASK, describeUac, ENCTYPES, encTypeNames, UAC, uacHex, withWorkstationTrust } from '../protocol/uac.js';
import type { AdAccount, AdConnection, AdObjectSummary } from '../facts/ad.js';

export const GMSA_CLASS = 'msDS-GroupManagedServiceAccount';

/** `webapp01` for `webapp01$`: how PowerShell's -Identity and the guide name a gMSA. */
export function bareName(samAccountName: string): string {
  return samAccountName.replace(/\$$/, '');
}

export function accountLabel(account: AdObjectSummary): string {
  return account.sAMAccountName ?? account.dn;
}

export function netbiosOf(facts: FactReader): string | undefined {
  return facts.optional('ad.domain')?.netbiosName;
}

function qualified(facts: FactReader, sam: string): string {
  const netbios = netbiosOf(facts);
  return netbios ? `${netbios}\\${sam}` : sam;
}

export function gmsaEvidence(account: AdAccount): Record<string, unknown> {
  return { dn: account.dn, sAMAccountName: account.sAMAccountName, userAccountControl: describeUac(account.userAccountControl) };
}

/** The gMSA when it was found, else undefined (account/exists reports the absence). */
function foundGmsa(facts: FactReader): AdAccount | undefined {
  return facts.get('ad.gmsa').account ?? undefined;
}

function notFound(facts: FactReader): FindingDraft {
  return { severity: 'skipped', message: `gMSA ${facts.get('ad.gmsa').name}$ was not found (see account/exists)` };
}

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
  'bind-required': (c) => ({
    text: `The DC answers only the rootDSE without a bind: bind as a domain user (--user USER with GMSA_DOCTOR_PASSWORD or --password-file) or with a Kerberos ticket (kinit, then run again). Any domain user may read what the checks need.${c.integratedAuth ? ` Kerberos was tried first: ${c.integratedAuth}.` : ''}`,
  }),
  'no-dc': () => ({ text: 'No domain controller to talk to: pass --dc HOST, or --domain with a DNS server that answers _ldap._tcp.dc._msdcs.DOMAIN.' }),
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

export const ldapConnectionCheck = defineCheck({
  meta: {
    id: 'account/ldap-connection',
    title: 'Read the gMSA from Active Directory over LDAP',
    section: 'account',
    looksAt: 'The LDAP session to the DC: transport (LDAPS, StartTLS, LDAP), certificate, bind (simple, Kerberos, anonymous).',
    why: 'Every account check reads AD; when the session fails, the reason (strong auth required, wrong or expired password, unreachable DC, certificate) is itself the finding.',
    remediation: 'Use LDAPS or StartTLS with --ca, a valid account or a Kerberos ticket, and a reachable DC.',
  },
  needs: ['ad.connection'],
  run(facts) {
    const c = facts.get('ad.connection');
    const subject = `${c.transport}://${c.dc}:${c.port}`;
    const evidence = { dc: c.dc, address: c.address, port: c.port, transport: c.transport, bind: c.bind, identity: c.identity, problem: c.problem };
    if (c.ok) {
      return [{ severity: 'pass', subject, evidence, message: `Read AD from ${c.dc} over ${c.transport.toUpperCase()} with a ${c.bind} bind${c.identity ? ` as ${c.identity}` : ''}` }];
    }
    const problem = c.problem ?? { kind: 'other', detail: 'unknown failure' };
    const advice = (CONNECTION_ADVICE[problem.kind] ?? CONNECTION_ADVICE.other!)(c);
    return [{ severity: 'error', subject, evidence, message: connectionMessage(c), remediation: advice }];
  },
});

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
    case 'no-dc':
      return `No domain controller found: ${p.detail}`;
    case 'bind-required':
      return `${where} does not let an anonymous session read the directory`;
    default:
      return `LDAP session with ${where} failed: ${p.detail}`;
  }
}

export const accountExistsCheck = defineCheck({
  meta: {
    id: 'account/exists',
    title: 'The gMSA exists, is a group managed service account and is enabled',
    section: 'account',
    looksAt: 'The object whose sAMAccountName is NAME$: its objectClass and userAccountControl (ACCOUNTDISABLE 0x2).',
    why: 'CCG logs the container on as this account: a missing, disabled or wrongly typed account makes every container logon fail.',
    remediation: 'Create the gMSA (New-ADServiceAccount) or enable it (Enable-ADAccount), and name it in the credential spec without the $.',
  },
  needs: ['ad.gmsa'],
  uses: ['ad.domain', 'ad.similarNames', 'ad.host'],
  run(facts) {
    const { name, account } = facts.get('ad.gmsa');
    const domain = facts.optional('ad.domain')?.dnsName ?? 'the domain';
    if (!account) {
      const similar = (facts.optional('ad.similarNames') ?? []).map(accountLabel);
      return [
        {
          severity: 'error',
          subject: `${name}$`,
          message: `No account with sAMAccountName ${name}$ in ${domain}${similar.length ? `; similar names: ${similar.join(', ')}` : ''}`,
          evidence: { searched: `(sAMAccountName=${name}$)`, similar },
          remediation: {
            text: 'Create the gMSA, or fix the name in the credential spec / --gmsa (the SAM account name without the $).',
            commands: [`New-ADServiceAccount -Name ${name} -DnsHostName ${name}.${facts.optional('ad.domain')?.dnsName ?? 'DOMAIN'} -PrincipalsAllowedToRetrieveManagedPassword ${facts.optional('ad.host')?.host?.sAMAccountName ?? '<container hosts group>'}`],
          },
        },
      ];
    }
    const subject = accountLabel(account);
    const evidence = { ...gmsaEvidence(account), objectClass: account.objectClass };
    if (!account.objectClass.includes(GMSA_CLASS)) {
      const kind = account.objectClass.at(-1) ?? 'unknown';
      return [{ severity: 'error', subject, evidence, message: `${subject} is a ${kind}, not a ${GMSA_CLASS}: CCG can only use a group managed service account`, remediation: { text: 'Create a gMSA with New-ADServiceAccount and point the credential spec at it.' } }];
    }
    if (account.userAccountControl & UAC.ACCOUNTDISABLE) {
      return [
        {
          severity: 'error',
          subject,
          evidence,
          message: `${subject} is disabled (userAccountControl ${describeUac(account.userAccountControl)})`,
          remediation: { text: 'Enable the account.', commands: [`Enable-ADAccount -Identity '${account.dn}'`] },
        },
      ];
    }
    return [{ severity: 'pass', subject, evidence, message: `${subject} exists in ${domain}, is a ${GMSA_CLASS} and is enabled` }];
  },
});

export const sameDomainCheck = defineCheck({
  meta: {
    id: 'account/same-domain',
    title: 'The gMSA and the container host are in the same domain',
    section: 'account',
    looksAt: "The domain part of the gMSA's and the host computer's objectSid, against the domain's SID.",
    why: 'A domain-joined host can only retrieve the password of a gMSA of its own domain.',
    remediation: 'Use a gMSA of the host\'s domain, or join the host to the gMSA\'s domain.',
  },
  needs: ['ad.gmsa', 'ad.host', 'ad.domain'],
  run(facts) {
    const domain = facts.get('ad.domain');
    const gmsa = foundGmsa(facts);
    if (!gmsa) return [notFound(facts)];
    const { name, host, domain: hostDomain } = facts.get('ad.host');
    if (!host && hostDomain && hostDomain !== domain.dnsName.toLowerCase()) {
      return [
        {
          severity: 'error',
          subject: `${name}.${hostDomain}`,
          message: `The host ${name}.${hostDomain} is in ${hostDomain}, the gMSA ${accountLabel(gmsa)} in ${domain.dnsName}: a domain-joined host cannot retrieve the password of another domain's gMSA`,
          evidence: { hostDomain, gmsaDomain: domain.dnsName },
          remediation: { text: `Create the gMSA in ${hostDomain} (and a credential spec for it), or run the container on a host joined to ${domain.dnsName}.` },
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
          remediation: { text: `Check the host name; if the host belongs to another domain, use a gMSA of that domain or join the host to ${domain.dnsName}.` },
        },
      ];
    }
    const evidence = { domainSid: domain.sid, gmsaSid: gmsa.objectSid, hostSid: host.objectSid };
    const gmsaDomainSid = domainOfSid(gmsa.objectSid);
    const hostDomainSid = domainOfSid(host.objectSid);
    if (gmsaDomainSid !== hostDomainSid || gmsaDomainSid !== domain.sid) {
      return [{ severity: 'error', subject: accountLabel(host), evidence, message: `${accountLabel(gmsa)} (domain ${gmsaDomainSid ?? '?'}) and ${accountLabel(host)} (domain ${hostDomainSid ?? '?'}) are not in the same domain`, remediation: { text: 'Use a gMSA of the host\'s domain.' } }];
    }
    return [{ severity: 'pass', subject: accountLabel(host), evidence, message: `${accountLabel(gmsa)} and ${accountLabel(host)} are both in ${domain.dnsName} (${domain.sid})` }];
  },
});

export const duplicateNameCheck = defineCheck({
  meta: {
    id: 'account/duplicate-name',
    title: 'Only one account is named like the gMSA',
    section: 'account',
    looksAt: 'Objects whose sAMAccountName starts with the gMSA name (the guide\'s Get-ADObject -Filter \'sAMAccountName -like "NAME*"\').',
    why: 'A user "webapp01" beside the gMSA "webapp01$" makes name lookups by the DC or the application find the wrong account.',
    remediation: 'Rename or remove the other account, or choose a gMSA name no other account starts with.',
  },
  needs: ['ad.gmsa', 'ad.similarNames'],
  run(facts) {
    const { name, account } = facts.get('ad.gmsa');
    const others = facts.get('ad.similarNames').filter((o) => o.dn.toLowerCase() !== account?.dn.toLowerCase());
    const clashing = others.filter((o) => o.sAMAccountName?.toLowerCase() === name.toLowerCase());
    const evidence = { search: `(sAMAccountName=${name}*)`, found: others.map((o) => ({ dn: o.dn, sAMAccountName: o.sAMAccountName, objectClass: o.objectClass.at(-1) })) };
    // A warning, not an error: the guide says the clash *can* break lookups by name; CCG itself resolves NAME$.
    const findings: FindingDraft[] = clashing.map((o) => ({
      severity: 'warning',
      subject: o.dn,
      evidence,
      message: `${o.objectClass.at(-1) ?? 'object'} ${o.sAMAccountName} (${o.dn}) has the gMSA's name without the $: lookups of "${name}" can find it instead of ${name}$`,
      remediation: { text: 'Rename the other account (or remove it if unused).', commands: [`Get-ADObject -Filter 'sAMAccountName -like "${name}*"'`, `Rename-ADObject -Identity '${o.dn}' -NewName '${name}-old'`, `Set-ADObject -Identity '${o.dn}' -Replace @{ sAMAccountName = '${name}-old' }`] },
    }));
    if (findings.length) return findings;
    if (others.length) {
      return [{ severity: 'info', subject: `${name}$`, evidence, message: `Other accounts start with "${name}" but none is named "${name}" exactly: ${others.map(accountLabel).join(', ')}` }];
    }
    return [{ severity: 'pass', subject: `${name}$`, evidence, message: `No other account is named like ${name}$` }];
  },
});

export const workstationTrustCheck = defineCheck({
  meta: {
    id: 'account/workstation-trust-flag',
    title: 'userAccountControl has WORKSTATION_TRUST_ACCOUNT (0x1000)',
    section: 'account',
    looksAt: 'The gMSA\'s userAccountControl: WORKSTATION_TRUST_ACCOUNT 0x1000, and TRUSTED_FOR_DELEGATION 0x80000.',
    why: 'NETLOGON in the container needs the flag to talk to the DC (name/SID lookups); turning on unconstrained delegation often drops it.',
    remediation: 'Set userAccountControl to (uac -band 0x7FFFC5FF) -bor 0x1000, as the guide shows.',
  },
  needs: ['ad.gmsa'],
  run(facts) {
    const account = foundGmsa(facts);
    if (!account) return [notFound(facts)];
    const uac = account.userAccountControl;
    const subject = accountLabel(account);
    const delegation = (uac & UAC.TRUSTED_FOR_DELEGATION) !== 0;
    const evidence = { userAccountControl: describeUac(uac), trustedForDelegation: delegation };
    if (uac & UAC.WORKSTATION_TRUST_ACCOUNT) {
      return [{ severity: 'pass', subject, evidence, message: `${subject} has WORKSTATION_TRUST_ACCOUNT (userAccountControl ${describeUac(uac)})` }];
    }
    const fixed = withWorkstationTrust(uac);
    return [
      {
        severity: 'error',
        subject,
        evidence: { ...evidence, fixedValue: uacHex(fixed) },
        message: `${subject} lacks WORKSTATION_TRUST_ACCOUNT (userAccountControl ${describeUac(uac)})${delegation ? '; TRUSTED_FOR_DELEGATION is set, the usual cause' : ''}`,
        remediation: {
          text: `Set userAccountControl to ${fixed} (${uacHex(fixed)}): (${uac} -band 0x7FFFC5FF) -bor 0x1000 keeps the other bits${delegation ? ', delegation included' : ''}.`,
          commands: [`Set-ADObject -Identity '${account.dn}' -Replace @{ userAccountControl = ${fixed} }`],
        },
      },
    ];
  },
});

function spnOwnerLabel(facts: FactReader, holder: AdObjectSummary): string {
  return holder.sAMAccountName ? qualified(facts, holder.sAMAccountName) : holder.dn;
}

export const spnCheck = defineCheck({
  meta: {
    id: 'account/spns',
    title: 'SPNs of the gMSA: unique, and covering the names clients use',
    section: 'account',
    looksAt: 'servicePrincipalName of the gMSA, every other holder of each SPN (setspn -X), and host/NAME, HTTP/NAME for each --client-name.',
    why: 'Clients find the account by the name they reach the app at; a missing SPN or one held by two accounts makes Kerberos fail (or fall back to NTLM).',
    remediation: 'Add the missing SPNs with setspn -S; remove a duplicate from the account that should not hold it with setspn -D.',
  },
  needs: ['ad.gmsa', 'ad.spns'],
  uses: ['ad.domain'],
  run(facts) {
    const account = foundGmsa(facts);
    if (!account) return [notFound(facts)];
    const { clientNames, holders } = facts.get('ad.spns');
    const subject = accountLabel(account);
    const own = account.servicePrincipalNames;
    const ownLower = new Set(own.map((s) => s.toLowerCase()));
    const identity = qualified(facts, account.sAMAccountName ?? subject);
    const findings: FindingDraft[] = [];
    for (const spn of own) {
      const others = (holders[spn.toLowerCase()] ?? []).filter((h) => h.dn.toLowerCase() !== account.dn.toLowerCase());
      for (const other of others) {
        findings.push({
          severity: 'error',
          subject,
          evidence: { spn, holders: [account.dn, other.dn] },
          message: `SPN ${spn} is held by both ${identity} and ${spnOwnerLabel(facts, other)} (${other.dn}): the KDC cannot tell which key to use`,
          remediation: {
            text: `Keep ${spn} on the account clients must reach (the gMSA) and remove it from the other one.`,
            commands: [`setspn -X`, `setspn -D ${spn} ${spnOwnerLabel(facts, other)}`],
          },
        });
      }
    }
    for (const name of clientNames) {
      for (const spn of [`host/${name}`, `HTTP/${name}`]) {
        if (ownLower.has(spn.toLowerCase())) continue;
        const elsewhere = (holders[spn.toLowerCase()] ?? []).filter((h) => h.dn.toLowerCase() !== account.dn.toLowerCase());
        findings.push({
          severity: elsewhere.length ? 'error' : 'warning',
          subject,
          evidence: { clientName: name, spn, gmsaSpns: own, heldBy: elsewhere.map((h) => h.dn) },
          message: elsewhere.length
            ? `Clients reach the app as ${name}, but ${spn} belongs to ${elsewhere.map((h) => spnOwnerLabel(facts, h)).join(', ')}, not to ${identity}`
            : `Clients reach the app as ${name}, but ${identity} has no ${spn} SPN`,
          remediation: {
            text: elsewhere.length ? `Move ${spn} to the gMSA.` : `Add ${spn} to the gMSA (setspn -S refuses duplicates).`,
            commands: [...elsewhere.map((h) => `setspn -D ${spn} ${spnOwnerLabel(facts, h)}`), `setspn -S ${spn} ${identity}`],
          },
        });
      }
    }
    if (findings.length) return findings;
    if (own.length === 0) {
      return [{ severity: 'warning', subject, evidence: { spns: own }, message: `${subject} has no SPN: clients cannot get a Kerberos ticket for it`, remediation: { text: 'Add an SPN for each name clients use.', commands: [`setspn -S HTTP/${account.dnsHostName ?? bareName(subject)} ${identity}`] } }];
    }
    return [{ severity: 'pass', subject, evidence: { spns: own, clientNames }, message: `${subject} holds ${own.join(', ')}; no other account holds them${clientNames.length ? `; every client name is covered` : ''}` }];
  },
});

export const encryptionTypesCheck = defineCheck({
  meta: {
    id: 'account/encryption-types',
    title: 'The gMSA supports AES Kerberos encryption',
    section: 'account',
    looksAt: 'msDS-SupportedEncryptionTypes of the gMSA (RC4 0x4, AES128 0x8, AES256 0x10).',
    why: 'Without AES the tickets for the container use RC4, which hardened DCs and clients refuse (and Windows is removing).',
    remediation: 'Set-ADServiceAccount -KerberosEncryptionType AES128,AES256.',
  },
  needs: ['ad.gmsa'],
  run(facts) {
    const account = foundGmsa(facts);
    if (!account) return [notFound(facts)];
    const subject = accountLabel(account);
    const value = account.supportedEncryptionTypes;
    const fix = { text: 'Allow AES (and, once clients cope, only AES).', commands: [`Set-ADServiceAccount -Identity ${bareName(subject)} -KerberosEncryptionType AES128,AES256`] };
    if (value === undefined) {
      return [{ severity: 'warning', subject, evidence: { 'msDS-SupportedEncryptionTypes': null }, message: `${subject} has no msDS-SupportedEncryptionTypes: the DC falls back to its default, RC4 on older domains`, remediation: fix }];
    }
    const names = encTypeNames(value);
    const evidence = { 'msDS-SupportedEncryptionTypes': value, names };
    if ((value & AES_MASK) === 0) {
      const rc4Only = (value & 0x1f) === ENCTYPES.RC4_HMAC;
      return [{ severity: 'error', subject, evidence, message: `${subject} supports ${rc4Only ? 'RC4 only' : names.join(', ') || 'no Kerberos encryption type'} (msDS-SupportedEncryptionTypes ${value}): no AES`, remediation: fix }];
    }
    const rc4 = value & ENCTYPES.RC4_HMAC ? ' (RC4 is still allowed too)' : '';
    return [{ severity: 'pass', subject, evidence, message: `${subject} supports ${names.join(', ')}${rc4}` }];
  },
});

export const ACCOUNT_CHECKS = [ldapConnectionCheck, accountExistsCheck, sameDomainCheck, duplicateNameCheck, workstationTrustCheck, spnCheck, encryptionTypesCheck];
