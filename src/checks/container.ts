/**
 * The guide's "Check the container": each running container that uses a credential spec (or was named with
 * --container, or given with --inspect), judged from its inspect data and from what `docker exec` showed inside.
 */
import { credspecIdentity } from '../credspec/identity.js';
import { credentialSpecFileOf, parseCredentialSpecOption, specDocumentFor } from '../credspec/security-opt.js';
import type { Check } from '../engine/check.js';
import { defineCheck } from '../engine/check.js';
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft } from '../engine/finding.js';
import { parseKlist } from '../protocol/parsers/klist.js';
import { findWinapiErrors } from '../protocol/parsers/win-errors.js';
import type { NltestResult, NltestStatus } from '../protocol/parsers/nltest.js';
import { parseNltest } from '../protocol/parsers/nltest.js';
import { toolMissing } from '../probes/commands.js';
import { parseDnsAnswer } from '../probes/containers.js';
import type { CommandCapture } from '../facts/common.js';
import type { CredSpecDocument } from '../facts/credspec.js';
import type { ContainerExecFacts, ContainerFacts } from '../facts/docker.js';

/** Containers this family judges: those using a credential spec, and those the user pointed at. */
export function judgedContainers(facts: FactReader): ContainerFacts[] {
  const exec = facts.optional('container.exec') ?? {};
  return facts
    .get('docker.containers')
    .filter((c) => c.credentialSpecOption !== undefined || c.selected === true || exec[c.id] !== undefined);
}

function execOf(facts: FactReader, container: ContainerFacts): ContainerExecFacts | undefined {
  return facts.optional('container.exec')?.[container.id];
}

function text(capture: CommandCapture): string {
  return `${capture.stdout}\n${capture.stderr}`;
}

/** A capture that ran (the tool exists) and its nltest reading. */
function nltestOf(capture: CommandCapture | undefined): NltestResult | undefined {
  if (!capture || toolMissing(capture) || capture.timedOut) return undefined;
  return parseNltest(text(capture));
}

function statusLine(s: NltestStatus): string {
  return `${s.code} ${s.hex} ${s.name}`;
}

const NO_IDENTITY = new Set([1722, 1786]);
const DC_NOT_FOUND = new Set([1311, 1355]);

function firstError(result: NltestResult | undefined): NltestStatus | undefined {
  return result?.error ?? result?.failure?.status;
}

function none(what: string): FindingDraft[] {
  return [{ severity: 'skipped', message: `Skipped: ${what}.` }];
}

function forEachContainer(facts: FactReader, judge: (c: ContainerFacts) => FindingDraft[]): FindingDraft[] {
  const containers = judgedContainers(facts);
  if (containers.length === 0) return [{ severity: 'pass', message: 'No running container uses a credential spec: nothing to judge here.' }];
  return containers.flatMap(judge);
}

const inspectReadable = defineCheck({
  meta: {
    id: 'container/inspect-readable',
    title: 'Saved docker inspect files are readable',
    section: 'container',
    looksAt: 'Each --inspect file: JSON, an array of container objects with an Id.',
    why: 'A file that is not `docker inspect` output of a container cannot be judged.',
    remediation: 'Save it again with `docker inspect <container> > inspect.json`.',
  },
  needs: ['docker.inspectProblems'],
  run(facts) {
    const problems = facts.get('docker.inspectProblems');
    if (problems.length === 0) return [{ severity: 'pass', message: 'Every docker inspect file was read.' }];
    return problems.map((p) => ({
      severity: 'error',
      subject: p.file,
      message: `${p.file}${p.field ? ` (${p.field})` : ''}: ${p.reason}`,
      location: { file: p.file, ...(p.field ? { field: p.field } : {}) },
    }));
  },
});

const credspecApplied = defineCheck({
  meta: {
    id: 'container/credspec-applied',
    title: 'The container runs with a credential spec',
    section: 'container',
    looksAt: 'HostConfig.SecurityOpt (credentialspec=...) in the inspect data, and `nltest /query` inside the container.',
    why: 'Without a credential spec the container has no gMSA identity: nltest answers RPC_S_SERVER_UNAVAILABLE (1722) or ERROR_NO_TRUST_LSA_SECRET (1786) and every domain call fails.',
    remediation: 'Start the container with --security-opt "credentialspec=file://NAME.json" (Kubernetes: securityContext.windowsOptions.gmsaCredentialSpecName).',
  },
  needs: ['docker.containers'],
  uses: ['container.exec'],
  run(facts) {
    return forEachContainer(facts, (c): FindingDraft[] => {
      const query = nltestOf(execOf(facts, c)?.query);
      const status = firstError(query);
      const evidence = { securityOpt: c.securityOpt, ...(status ? { nltestQuery: statusLine(status) } : {}) };
      if (c.credentialSpecOption === undefined) {
        return [
          {
            severity: 'error',
            subject: c.name,
            message: `Container ${c.name} was started without a credential spec (HostConfig.SecurityOpt has no credentialspec=): it has no gMSA identity${status ? `, and nltest /query inside answers ${status.code} ${status.name}` : ''}.`,
            evidence,
            remediation: { text: 'Recreate the container with the credential spec.', commands: [`docker run --security-opt "credentialspec=file://<gmsa>.json" --hostname <gmsa> ${c.image ?? '<image>'}`] },
          },
        ];
      }
      if (status && NO_IDENTITY.has(status.code)) {
        return [
          {
            severity: 'error',
            subject: c.name,
            message: `Container ${c.name} names ${c.credentialSpecOption}, but inside it nltest /query answers ${status.code} ${status.name}: the gMSA identity was not applied (CCG could not get it: see the host checks and the CCG events).`,
            evidence,
          },
        ];
      }
      return [{ severity: 'pass', subject: c.name, message: `Container ${c.name} runs with ${c.credentialSpecOption}.`, evidence }];
    });
  },
});

function specState(c: ContainerFacts, facts: FactReader): { document?: CredSpecDocument; missing: boolean; known: boolean } {
  const file = credentialSpecFileOf(c);
  const document = specDocumentFor(c, facts.optional('credspec.documents') ?? []);
  if (document) return { document, missing: false, known: true };
  const wanted = file?.toLowerCase();
  const folder = facts.optional('host.credentialSpecs');
  if (folder) return { missing: !folder.files.some((f) => f.toLowerCase() === wanted), known: true };
  const opt = (facts.optional('credspec.securityOpts') ?? []).find((o) => o.option === c.credentialSpecOption);
  if (opt?.exists !== undefined) return { missing: !opt.exists, known: true };
  const readError = (facts.optional('credspec.readErrors') ?? []).find((e) => e.kind === 'missing' && (e.file.split(/[\\/]/).pop() ?? '').toLowerCase() === wanted);
  if (readError) return { missing: true, known: true };
  return { missing: false, known: false };
}

const credspecResolves = defineCheck({
  meta: {
    id: 'container/credspec-resolves',
    title: 'The container\'s credential spec option resolves to an existing, readable spec',
    section: 'container',
    looksAt: 'The credentialspec= security option as Docker parses it, the files in <DockerRootDir>\\CredentialSpecs and the parsed credential specs.',
    why: 'Docker refuses to start a container whose file:// spec is missing; a spec that exists but is wrong gives a container without identity.',
    remediation: 'Put NAME.json in <DockerRootDir>\\CredentialSpecs (New-CredentialSpec) and name it exactly in --security-opt.',
  },
  needs: ['docker.containers'],
  uses: ['container.exec', 'host.credentialSpecs', 'credspec.documents', 'credspec.readErrors', 'credspec.securityOpts'],
  run(facts) {
    const containers = judgedContainers(facts).filter((c) => c.credentialSpecOption !== undefined);
    if (containers.length === 0) return none('no container names a credential spec (see container/credspec-applied)');
    return containers.map((c): FindingDraft => {
      const option = c.credentialSpecOption ?? '';
      const verdict = parseCredentialSpecOption(option);
      if (!verdict.ok) return { severity: 'error', subject: c.name, message: `Container ${c.name}: ${verdict.reason}`, evidence: { option } };
      if (verdict.scheme !== 'file') return { severity: 'info', subject: c.name, message: `Container ${c.name} reads its spec from ${verdict.scheme}:// (not a file, not checked here).` };
      const state = specState(c, facts);
      const folder = facts.optional('host.credentialSpecs')?.dir ?? '<DockerRootDir>\\CredentialSpecs';
      if (state.missing) {
        return {
          severity: 'error',
          subject: c.name,
          message: `Container ${c.name} names ${verdict.path}, which is not in ${folder}: Docker cannot apply the credential spec.`,
          evidence: { option, folder, files: facts.optional('host.credentialSpecs')?.files },
          remediation: { text: 'Create the spec under that name (or fix the name in --security-opt).', commands: [`New-CredentialSpec -AccountName <gMSA> -Path '${folder}\\${verdict.path}'`, 'Get-CredentialSpec'] },
        };
      }
      if (!state.known) return { severity: 'info', subject: c.name, message: `Container ${c.name} names ${verdict.path}; give --credspec with that file (or run on the host) to check it.` };
      const gmsa = credspecIdentity(state.document?.spec).gmsa;
      return { severity: 'pass', subject: c.name, message: `Container ${c.name}'s spec ${verdict.path} exists${gmsa ? ` and names gMSA ${gmsa}` : ''}.` };
    });
  },
});

const startError = defineCheck({
  meta: {
    id: 'container/start-error',
    title: 'The container started without an HCS error',
    section: 'container',
    looksAt: 'State.Error of the inspect data; HCS "winapi error #N" numbers are decoded to their NTSTATUS names.',
    why: 'When CCG cannot get the gMSA at start, the Host Compute Service fails the container with an NTSTATUS such as 0xC0020017 (RPC server unavailable).',
    remediation: 'Read the decoded status: RPC/no-logon-servers mean the host cannot reach a DC or CCG failed (see the CCG events); access denied means the host may not retrieve the password.',
  },
  needs: ['docker.containers'],
  uses: ['container.exec'],
  run(facts) {
    const failed = judgedContainers(facts).filter((c) => c.stateError !== undefined);
    if (failed.length === 0) return [{ severity: 'pass', message: 'No judged container reports a start error.' }];
    return failed.map((c): FindingDraft => {
      const decoded = findWinapiErrors(c.stateError ?? '');
      const names = decoded.map((d) => `${d.hex}${d.name ? ` ${d.name} (${d.meaning ?? ''})` : ''}`);
      return {
        severity: 'error',
        subject: c.name,
        message: `Container ${c.name} failed to start: ${c.stateError ?? ''}${names.length ? ` [${names.join('; ')}]` : ''}`,
        evidence: { stateError: c.stateError, ...(decoded.length ? { decoded } : {}) },
      };
    });
  },
});

const platform = defineCheck({
  meta: {
    id: 'container/windows-platform',
    title: 'The gMSA container is a Windows container',
    section: 'container',
    looksAt: 'The Platform of each container that names a credential spec.',
    why: 'Only Windows containers get a gMSA identity through CCG; a Linux (LCOW) container ignores the credential spec.',
    remediation: 'Run the workload in a Windows container image, or use Kerberos keytabs in a Linux container.',
  },
  needs: ['docker.containers'],
  uses: ['container.exec'],
  run(facts) {
    const containers = judgedContainers(facts).filter((c) => c.credentialSpecOption !== undefined);
    if (containers.length === 0) return none('no container names a credential spec');
    return containers.map((c): FindingDraft =>
      c.platform === 'linux'
        ? { severity: 'error', subject: c.name, message: `Container ${c.name} is a Linux (LCOW) container: it cannot use a gMSA credential spec.`, evidence: { platform: c.platform, image: c.image } }
        : { severity: 'pass', subject: c.name, message: `Container ${c.name} is a ${c.platform ?? 'Windows'} container.` },
    );
  },
});

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
    remediation: { text: 'Give the container DNS servers that serve the AD domain (the DCs).', commands: [`docker run --dns <DC address> --security-opt "${c.credentialSpecOption ?? ''}" ${c.image ?? '<image>'}`] },
  };
}

const dcLocated = defineCheck({
  meta: {
    id: 'container/dc-located',
    title: 'The container can resolve and find a domain controller',
    section: 'container',
    looksAt: 'Inside the container: its DNS servers and the resolution of the domain, `nltest /sc_verify` and `klist get krbtgt` errors that mean no DC was found (ERROR_NO_LOGON_SERVERS 1311, ERROR_NO_SUCH_DOMAIN 1355).',
    why: 'Misconfigured DNS servers in the container are a common culprit: without a DC, neither the secure channel nor Kerberos works.',
    remediation: 'Point the container at DNS servers that resolve the AD domain and make sure the DC is routable from it.',
  },
  needs: ['docker.containers', 'container.exec'],
  run(facts) {
    return forEachContainer(facts, (c): FindingDraft[] => {
      const exec = execOf(facts, c);
      if (!exec) return none(`nothing was run inside ${c.name}`);
      const dns = dnsFinding(c, exec);
      if (dns) return [dns];
      const status = firstError(nltestOf(exec.scVerify));
      if (status && DC_NOT_FOUND.has(status.code)) {
        return [
          {
            severity: 'error',
            subject: c.name,
            message: `Inside ${c.name}, nltest /sc_verify:${exec.domain ?? ''} answers ${status.code} ${status.name}: ${status.meaning ?? 'no domain controller found'}.`,
            evidence: { command: exec.scVerify?.command, status: statusLine(status), configuredDns: c.dns },
            remediation: { text: 'Check the DNS servers the container uses and that they resolve the domain\'s SRV records.', commands: [`docker exec ${c.name} nltest /dsgetdc:${exec.domain ?? '<domain>'}`, `docker exec ${c.name} ipconfig /all`] },
          },
        ];
      }
      if (!exec.scVerify && !exec.dns) return none(`no domain was known for ${c.name}, so DC discovery was not tried inside it`);
      return [{ severity: 'pass', subject: c.name, message: `Inside ${c.name}, ${exec.domain ?? 'the domain'} resolves and a DC answers.` }];
    });
  },
});

const secureChannel = defineCheck({
  meta: {
    id: 'container/secure-channel',
    title: 'nltest /sc_verify succeeds inside the container',
    section: 'container',
    looksAt: 'The status lines of `nltest /sc_verify:<domain>` run through docker exec (never its last line, which always says success).',
    why: 'NERR_Success means the gMSA is available and the container reaches the domain; anything else breaks name/SID lookups and NTLM.',
    remediation: 'Follow the status: 1311 DNS/network, 1722/1786 no identity (credential spec), 1787 the gMSA lacks WORKSTATION_TRUST_ACCOUNT.',
  },
  needs: ['docker.containers', 'container.exec'],
  run(facts) {
    return forEachContainer(facts, (c): FindingDraft[] => {
      const exec = execOf(facts, c);
      const result = nltestOf(exec?.scVerify);
      if (!exec?.scVerify || !result) return none(`nltest /sc_verify did not run inside ${c.name}`);
      const evidence = { command: exec.scVerify.command, trustedDc: result.trustedDcName, statuses: result.statuses.map(statusLine) };
      if (result.ok) return [{ severity: 'pass', subject: c.name, message: `Inside ${c.name}, the secure channel to ${result.trustedDcName ?? 'the DC'} verifies (NERR_Success).`, evidence }];
      const status = firstError(result);
      const tgt = exec.klist && !toolMissing(exec.klist) ? parseKlist(text(exec.klist)).retrieved : false;
      const hint =
        status?.code === 1787
          ? ' Check that the gMSA\'s userAccountControl has WORKSTATION_TRUST_ACCOUNT (0x1000): see account/workstation-trust-flag.'
          : tgt
            ? ' A TGT was obtained, so the network works: the gMSA account is likely misconfigured (see the account checks).'
            : '';
      return [
        {
          severity: 'error',
          subject: c.name,
          message: `Inside ${c.name}, nltest /sc_verify answers ${status ? `${status.code} ${status.name}${status.meaning ? `: ${status.meaning}` : ''}` : 'no status'}.${hint}`,
          evidence,
        },
      ];
    });
  },
});

const kerberosTgt = defineCheck({
  meta: {
    id: 'container/kerberos-tgt',
    title: 'klist get krbtgt obtains a TGT inside the container',
    section: 'container',
    looksAt: 'The output of `klist get krbtgt` run through docker exec: the client, the KDC called and the ticket\'s encryption type, or the error code.',
    why: 'Without a TGT the gMSA cannot authenticate with Kerberos: usually DNS or connectivity to the DC.',
    remediation: 'Make sure the container resolves a DC by the domain\'s DNS name and that the DC is routable from it.',
  },
  needs: ['docker.containers', 'container.exec'],
  run(facts) {
    return forEachContainer(facts, (c): FindingDraft[] => {
      const capture = execOf(facts, c)?.klist;
      if (!capture || toolMissing(capture)) return none(`klist did not run inside ${c.name}`);
      const result = parseKlist(text(capture));
      const ticket = result.tickets.find((t) => /^krbtgt\//i.test(t.server)) ?? result.tickets[0];
      if (result.retrieved) {
        return [
          {
            severity: 'pass',
            subject: c.name,
            message: `Inside ${c.name}, a TGT was obtained for ${ticket?.client ?? 'the gMSA'} from ${ticket?.kdcCalled ?? 'the KDC'} (${ticket?.encryptionType ?? 'unknown enctype'}).`,
            evidence: { client: ticket?.client, server: ticket?.server, kdcCalled: ticket?.kdcCalled, encryptionType: ticket?.encryptionType },
          },
        ];
      }
      const error = result.error;
      return [
        {
          severity: 'error',
          subject: c.name,
          message: `Inside ${c.name}, klist get krbtgt failed${error ? ` with ${error.code}${error.name ? ` ${error.name}` : ''}${error.message ? ` ${error.message}` : ''}` : ''}: no TGT, so Kerberos does not work (usually DNS or network to the DC, or no gMSA identity).`,
          evidence: { command: capture.command, ...(error ? { error } : {}) },
        },
      ];
    });
  },
});

const tools = defineCheck({
  meta: {
    id: 'container/tools-present',
    title: 'The diagnostic tools exist in the container image',
    section: 'container',
    looksAt: 'Whether whoami, nltest, klist and PowerShell could be started through docker exec.',
    why: 'Nano Server and trimmed images lack some of them; a missing tool is not a failed check, but leaves it unjudged.',
    remediation: 'Run the checks from a Server Core based image, or copy the tool into the container for the test.',
  },
  needs: ['docker.containers', 'container.exec'],
  run(facts) {
    return forEachContainer(facts, (c): FindingDraft[] => {
      const exec = execOf(facts, c);
      if (!exec) return none(`nothing was run inside ${c.name}`);
      const missing = (['whoami', 'query', 'scVerify', 'klist', 'dns'] as const)
        .map((k) => exec[k])
        .filter((capture): capture is CommandCapture => capture !== undefined && toolMissing(capture))
        .map((capture) => capture.command.split(' ').slice(3, 4).join(''));
      if (missing.length === 0) return [{ severity: 'pass', subject: c.name, message: `Every diagnostic tool ran inside ${c.name}.` }];
      return [{ severity: 'warning', subject: c.name, message: `Not in the image of ${c.name}: ${[...new Set(missing)].join(', ')}; the checks that need them could not run inside.`, evidence: { image: c.image } }];
    });
  },
});

const SYSTEM_USERS = /^(nt authority\\(system|network service)|localsystem|networkservice|system|network service)$/i;

const appIdentity = defineCheck({
  meta: {
    id: 'container/app-identity',
    title: 'The app runs as Network Service or Local System',
    section: 'container',
    looksAt: 'Config.User of the container and `whoami` inside it.',
    why: 'The container\'s users do not change with a gMSA: only Local System and Network Service use the gMSA on the network; whoami never shows the gMSA name.',
    remediation: 'Run the app (IIS app pool, service) as Network Service or Local System.',
  },
  needs: ['docker.containers'],
  uses: ['container.exec'],
  run(facts) {
    return forEachContainer(facts, (c): FindingDraft[] => {
      const whoami = execOf(facts, c)?.whoami;
      const seen = whoami && !toolMissing(whoami) ? whoami.stdout.trim().split('\n')[0]?.trim() : undefined;
      const tip = `${seen ? `whoami shows ${seen}` : 'whoami shows a local user (e.g. ContainerAdministrator)'}: that is expected, the gMSA never appears as the signed-in user; the computer account (used by Local System and Network Service) carries it on the network.`;
      const user = c.user?.trim();
      if (user && !SYSTEM_USERS.test(user)) {
        return [
          {
            severity: 'warning',
            subject: c.name,
            message: `Container ${c.name} runs its process as ${user}: only Local System and Network Service use the gMSA identity on the network. ${tip}`,
            evidence: { configUser: user, ...(seen ? { whoami: seen } : {}) },
            remediation: { text: 'Run the app as Network Service or Local System (e.g. the IIS app pool identity).', commands: [`docker run --user "NT AUTHORITY\\NETWORK SERVICE" --security-opt "${c.credentialSpecOption ?? ''}" ${c.image ?? '<image>'}`] },
          },
        ];
      }
      return [{ severity: 'info', subject: c.name, message: `Container ${c.name} runs as the image's default user. Make sure the app itself runs as Network Service or Local System. ${tip}`, evidence: { configUser: user ?? '', ...(seen ? { whoami: seen } : {}) } }];
    });
  },
});

export const CONTAINER_CHECKS: readonly Check[] = [inspectReadable, credspecApplied, credspecResolves, startError, platform, dcLocated, secureChannel, kerberosTgt, tools, appIdentity];
