/**
 * The guide's host sections: "Domain joined hosts: make sure the host can use the gMSA" and "Non-domain-joined
 * hosts: make sure the host is configured to retrieve the gMSA account". Pure judgement of host facts.
 */
import type { Check } from '../engine/check.js';
import { defineCheck } from '../engine/check.js';
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft } from '../engine/finding.js';
import { credspecIdentity, pluginGuidsOf } from '../credspec/identity.js';
import { parseNltest } from '../protocol/parsers/nltest.js';
import { parseTestAdServiceAccount } from '../protocol/parsers/powershell.js';
import { toolMissing } from '../probes/commands.js';
import { CCG_COM_CLASSES } from '../probes/windows-host.js';
import type { CheckOptions, Plan } from '../engine/options.js';
import type { HostEnvironment } from '../probes/discovery.js';
import { currentEnvironment, hostProbes } from '../probes/discovery.js';
import { CONTAINER_CHECKS } from './container.js';
import { describeBuild, hypervIsolationBroken, hostnameMustMatch, KNOWN_ISSUE_CHECKS } from './known-issues.js';
import type { CommandCapture } from '../facts/common.js';
import type { CredSpecDocument } from '../facts/credspec.js';

function versionLabel(build: number, ubr?: number): string {
  return ubr === undefined ? describeBuild(build) : `${describeBuild(build)}, UBR ${ubr} (10.0.${build}.${ubr})`;
}

const windowsBuild: Check = defineCheck({
  meta: {
    id: 'host/windows-build',
    title: 'Windows build of the container host',
    section: 'known-issues',
    looksAt: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion: CurrentBuildNumber, UBR, ProductName (or the build docker info reports).',
    why: 'The known issues (hostname, shared gMSA, Hyper-V isolation) depend on the build; 17763 (Windows Server 2019) and later have none of them.',
    remediation: 'Prefer Windows Server 2019 (17763) or later container hosts.',
  },
  needs: [],
  uses: ['host.windows', 'docker.info'],
  run(facts) {
    const host = facts.optional('host.windows');
    const build = host?.build ?? facts.optional('docker.info')?.build;
    if (build === undefined) return [{ severity: 'skipped', message: 'Skipped: the Windows build is unknown (neither host.windows nor docker.info was gathered).' }];
    const label = versionLabel(build, host?.ubr ?? facts.optional('docker.info')?.ubr);
    const issues = [hostnameMustMatch(build), hypervIsolationBroken(build)].filter((i) => i !== undefined);
    const evidence = { build, ...(host?.productName ? { productName: host.productName } : {}) };
    if (issues.length === 0) return [{ severity: 'pass', message: `${label}: none of the guide's known issues applies.`, evidence }];
    return [{ severity: 'info', message: `${label}: known issues apply: ${issues.map((i) => i.title).join('; ')}.`, evidence }];
  },
});

function hostAccountSpecs(documents: readonly CredSpecDocument[]): CredSpecDocument[] {
  return documents.filter((d) => credspecIdentity(d.spec).pluginGuid !== undefined);
}

const domainJoined: Check = defineCheck({
  meta: {
    id: 'host/domain-joined',
    title: 'The host is domain joined, or its credential specs use a CCG plugin',
    section: 'host-domain-joined',
    looksAt: 'Win32_ComputerSystem PartOfDomain and Domain; the domain and HostAccountConfig of the credential specs.',
    why: 'A domain-joined host retrieves the gMSA password with its own computer account; a non-domain-joined host needs a CCG plugin (HostAccountConfig) instead. The gMSA must be in the host\'s domain.',
    remediation: 'Join the host to the gMSA\'s domain, or add HostAccountConfig (PortableCcgVersion, PluginGUID, PluginInput) to the credential spec.',
  },
  needs: ['host.windows'],
  uses: ['credspec.documents'],
  run(facts) {
    const host = facts.get('host.windows');
    const documents = facts.optional('credspec.documents') ?? [];
    const subject = host.computerName;
    if (!host.domainJoined) {
      const portable = hostAccountSpecs(documents);
      if (portable.length > 0) return [{ severity: 'pass', subject, message: `${host.computerName ?? 'The host'} is not domain joined; its credential specs use a CCG plugin (HostAccountConfig): see the non-domain-joined checks.` }];
      return [
        {
          severity: 'error',
          subject,
          message: `${host.computerName ?? 'The host'} is not domain joined and no credential spec has HostAccountConfig: nothing can retrieve the gMSA password.`,
          remediation: { text: 'Join the host to the domain, or use a CCG plugin and regenerate the spec with its HostAccountConfig.', commands: ['Add-Computer -DomainName <domain> -Restart'] },
        },
      ];
    }
    const foreign = documents.filter((d) => {
      const spec = credspecIdentity(d.spec);
      return spec.dnsName !== undefined && spec.pluginGuid === undefined && spec.dnsName.value.toLowerCase() !== host.domain?.toLowerCase();
    });
    if (foreign.length > 0) {
      return foreign.map((d): FindingDraft => {
        const specDomain = credspecIdentity(d.spec).dnsName?.value;
        return {
          severity: 'error',
          subject: d.file,
          message: `${host.computerName ?? 'The host'} is joined to ${host.domain ?? '?'}, but ${d.file} names a gMSA of ${specDomain ?? '?'}: a domain-joined host can only retrieve gMSA passwords of its own domain.`,
          evidence: { hostDomain: host.domain, specDomain },
          remediation: { text: "Use a gMSA of the host's domain, or a CCG plugin (HostAccountConfig) for the other domain." },
        };
      });
    }
    return [{ severity: 'pass', subject, message: `${host.computerName ?? 'The host'} is joined to ${host.domain ?? 'a domain'}.`, evidence: { domain: host.domain } }];
  },
});

function captureText(capture: CommandCapture): string {
  return `${capture.stdout}\n${capture.stderr}`;
}

const dcReachable: Check = defineCheck({
  meta: {
    id: 'host/dc-reachable',
    title: 'The host has a working secure channel to a domain controller',
    section: 'host-domain-joined',
    looksAt: 'The status lines of `nltest /sc_verify:<domain>` run on the host (not its last line, which always says the command completed successfully).',
    why: 'The host retrieves the gMSA password from a DC over its own secure channel; without one, no container on it gets its identity.',
    remediation: 'Check DNS and the firewall between host and DC, then repair the channel with nltest /sc_reset or Test-ComputerSecureChannel -Repair.',
  },
  needs: ['host.windows', 'host.commands'],
  run(facts) {
    const host = facts.get('host.windows');
    if (!host.domainJoined) return [{ severity: 'skipped', message: 'Skipped: the host is not domain joined (no secure channel of its own).' }];
    const capture = facts.get('host.commands').scVerify;
    if (!capture) return [{ severity: 'skipped', message: 'Skipped: nltest /sc_verify was not run on the host.' }];
    if (toolMissing(capture)) return [{ severity: 'skipped', message: 'Skipped: nltest is not available on this host.' }];
    const result = parseNltest(captureText(capture));
    const evidence = { command: capture.command, trustedDc: result.trustedDcName, statuses: result.statuses.map((s) => `${s.code} ${s.hex} ${s.name}`) };
    if (result.ok) return [{ severity: 'pass', message: `The host's secure channel to ${result.trustedDcName ?? 'its DC'} is verified (NERR_Success).`, evidence }];
    const error = result.error ?? result.failure?.status;
    return [
      {
        severity: 'error',
        subject: host.domain,
        message: error
          ? `${capture.command} on the host failed with ${error.code} ${error.name}${error.meaning ? `: ${error.meaning}` : ''}.`
          : `${capture.command} on the host printed no status line (exit code ${String(capture.exitCode)}).`,
        evidence,
        remediation: { text: 'Make the DC resolvable and reachable from the host, then reset the secure channel.', commands: [`nltest /dsgetdc:${host.domain ?? '<domain>'}`, `nltest /sc_reset:${host.domain ?? '<domain>'}`] },
      },
    ];
  },
});

const testAdServiceAccount: Check = defineCheck({
  meta: {
    id: 'host/test-adserviceaccount',
    title: 'Test-ADServiceAccount returns True on the host',
    section: 'host-domain-joined',
    looksAt: 'The output of `Test-ADServiceAccount <gMSA>` run on the host, when the ActiveDirectory PowerShell module is installed.',
    why: 'False means this computer may not retrieve the gMSA password (or lacks a supported encryption type): every container using the gMSA fails.',
    remediation: 'Add the host to a group in PrincipalsAllowedToRetrieveManagedPassword, then restart it (or purge its tickets) so its token carries the new group.',
  },
  needs: ['host.commands'],
  run(facts) {
    const tests = facts.get('host.commands').testAdServiceAccount ?? {};
    const entries = Object.entries(tests);
    if (entries.length === 0) return [{ severity: 'skipped', message: 'Skipped: Test-ADServiceAccount was not run (no gMSA named, or not a Windows host); host/can-retrieve-password evaluates the same over LDAP.' }];
    return entries.map(([gmsa, capture]): FindingDraft => {
      const answer = parseTestAdServiceAccount(captureText(capture));
      if (answer.moduleMissing || toolMissing(capture)) {
        return { severity: 'skipped', subject: gmsa, message: `Skipped: the ActiveDirectory PowerShell module is not installed; host/can-retrieve-password evaluates the same over LDAP.`, remediation: { text: 'Install the module to run the guide\'s own test.', commands: ['Install-WindowsFeature RSAT-AD-PowerShell'] } };
      }
      if (answer.result === true) return { severity: 'pass', subject: gmsa, message: `Test-ADServiceAccount ${gmsa} returned True: this host may retrieve the password.` };
      if (answer.result === false) {
        return {
          severity: 'error',
          subject: gmsa,
          message: `Test-ADServiceAccount ${gmsa} returned False: this host may not retrieve the gMSA password.${answer.warning ? ` (${answer.warning})` : ''}`,
          remediation: {
            text: 'Check which groups may retrieve the password and whether the host is in one; after adding it, restart the host.',
            commands: [
              'Get-ADComputer $env:computername | Get-ADPrincipalGroupMembership | Select-Object DistinguishedName',
              `(Get-ADServiceAccount ${gmsa} -Properties PrincipalsAllowedToRetrieveManagedPassword).PrincipalsAllowedToRetrieveManagedPassword`,
            ],
          },
        };
      }
      return { severity: 'error', subject: gmsa, message: `Test-ADServiceAccount ${gmsa} did not answer True or False: ${answer.error ?? (capture.stderr.trim() || 'no output')}` };
    });
  },
});

const ccgPlugin: Check = defineCheck({
  meta: {
    id: 'host/ccg-plugin-registered',
    title: 'The credential spec\'s CCG plugin is registered on the host',
    section: 'host-non-domain-joined',
    looksAt: `Each PluginGUID of the credential specs under ${CCG_COM_CLASSES}\\{GUID}, its COM class under HKLM\\SOFTWARE\\Classes\\CLSID\\{GUID} and the class's server file.`,
    why: 'CCG loads the plugin by CLSID from the CCG COMClasses key; an unregistered plugin means CCG event 4 and a container without identity.',
    remediation: 'Install the plugin as its vendor documents; the CLSID must be under HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses.',
  },
  needs: ['host.ccgPlugins', 'credspec.documents'],
  run(facts) {
    const plugins = facts.get('host.ccgPlugins');
    const guids = pluginGuidsOf(facts.get('credspec.documents'));
    if (guids.length === 0) return [{ severity: 'pass', message: 'No credential spec names a CCG plugin (HostAccountConfig): none needs registering.' }];
    return guids.map((guid): FindingDraft => {
      const key = `${CCG_COM_CLASSES}\\${guid}`;
      const cls = plugins.classes[guid];
      const registered = cls?.ccgRegistered ?? plugins.registered.includes(guid);
      const evidence = { pluginGuid: guid, registeredPlugins: plugins.registered, ...(cls ?? {}) };
      if (!registered) {
        const wrongPath = cls?.registeredWithoutControl ? ` It is registered under HKLM\\SYSTEM\\CurrentControlSet\\CCG\\COMClasses, which lacks \\Control\\: CCG never looks there.` : '';
        return {
          severity: 'error',
          subject: guid,
          message: `CCG plugin ${guid} is not registered under ${key}.${wrongPath}`,
          evidence,
          remediation: { text: 'Install the plugin (its installer registers the CLSID under CCG\\COMClasses), then check the registration.', commands: [`reg query "${key}"`] },
        };
      }
      if (cls?.clsidRegistered === false) return { severity: 'error', subject: guid, message: `CCG plugin ${guid} is listed under CCG COMClasses but has no COM class (HKLM\\SOFTWARE\\Classes\\CLSID\\${guid}).`, evidence };
      if (cls?.serverExists === false) return { severity: 'error', subject: guid, message: `CCG plugin ${guid}'s COM server ${cls.server ?? ''} does not exist.`, evidence };
      return { severity: 'pass', subject: guid, message: `CCG plugin ${guid} is registered under ${key}${cls?.server ? ` (server ${cls.server})` : ''}.`, evidence };
    });
  },
});

const credentialSpecsFolder: Check = defineCheck({
  meta: {
    id: 'host/credential-specs-folder',
    title: 'Credential specs are present in <DockerRootDir>\\CredentialSpecs',
    section: 'credspec',
    looksAt: 'The files in the CredentialSpecs folder of the Docker root directory (docker info DockerRootDir), and the file each gMSA container names.',
    why: 'Docker resolves credentialspec=file://NAME.json only in that folder; Get-CredentialSpec lists the same files.',
    remediation: 'Create the spec there with New-CredentialSpec (or `gmsa-doctor credspec new`), named as the container\'s security option says.',
  },
  needs: ['host.credentialSpecs'],
  run(facts: FactReader) {
    const { dir, files } = facts.get('host.credentialSpecs');
    const specs = files.filter((f) => /\.json$/i.test(f));
    if (specs.length === 0) {
      return [{ severity: 'warning', subject: dir, message: `${dir} holds no credential spec (.json) file.`, remediation: { text: 'Create one with New-CredentialSpec.', commands: ['New-CredentialSpec -AccountName <gMSA>'] } }];
    }
    return [{ severity: 'pass', subject: dir, message: `${dir} holds ${specs.length} credential spec file(s): ${specs.join(', ')}.` }];
  },
});

export const HOST_CHECKS: readonly Check[] = [windowsBuild, domainJoined, dcReachable, testAdServiceAccount, ccgPlugin, credentialSpecsFolder];

/** Planner of the host, container and known-issue families (see src/probes/discovery.ts for where they apply). */
export function planHost(options: CheckOptions, env: HostEnvironment = currentEnvironment()): Plan {
  const containers = env.windows || env.docker || options.inspect.length > 0;
  const checks = [...(containers ? [...KNOWN_ISSUE_CHECKS, ...CONTAINER_CHECKS] : []), ...(env.windows ? HOST_CHECKS : [])];
  return { checks, probes: hostProbes(options, env) };
}
