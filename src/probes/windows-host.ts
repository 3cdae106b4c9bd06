import { access, readdir } from 'node:fs/promises';
import { credentialSpecsDir } from '../credspec/placement.js';
import type { Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';
import { gmsasOf, pluginGuidsOf, uniqueNames } from '../credspec/identity.js';
import { parseRegQuery, valueOf } from '../protocol/parsers/reg.js';
import type { CommandRunner } from './commands.js';
import { toolMissing } from '../protocol/parsers/capture.js';
import {
  CCG_COM_CLASSES,
  CCG_WITHOUT_CONTROL,
  ccgPluginsWithoutControl,
  comClassFrom,
  registeredCcgPlugins,
} from '../protocol/parsers/ccg-registry.js';
import type { CommandCapture } from '../facts/common.js';
import type { CredSpecDocument } from '../facts/credspec.js';
import type { CcgPluginClass, HostCommandFacts, WindowsHostFacts } from '../facts/host.js';

const CURRENT_VERSION = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
const COMPUTER_SYSTEM_SCRIPT =
  'Get-CimInstance Win32_ComputerSystem | Select-Object Name,Domain,PartOfDomain | ConvertTo-Json -Compress';

/** REG_DWORD values print as 0x2a3. */
function regNumber(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = text.startsWith('0x') ? parseInt(text, 16) : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Pure: host facts from `reg query <CurrentVersion>` and the Win32_ComputerSystem JSON. */
export function windowsHostFrom(currentVersion: string, computerSystemJson: string): WindowsHostFacts | string {
  const key = parseRegQuery(currentVersion).keys[0];
  const build = regNumber(valueOf(key, 'CurrentBuildNumber') ?? valueOf(key, 'CurrentBuild'));
  if (build === undefined) return `reg query "${CURRENT_VERSION}" printed no CurrentBuildNumber`;
  let system: { Name?: unknown; Domain?: unknown; PartOfDomain?: unknown } = {};
  try {
    system = JSON.parse(computerSystemJson) as typeof system;
  } catch {
    return 'Win32_ComputerSystem: PowerShell did not print JSON';
  }
  const facts: WindowsHostFacts = { build, domainJoined: system.PartOfDomain === true };
  const ubr = regNumber(valueOf(key, 'UBR'));
  if (ubr !== undefined) facts.ubr = ubr;
  const productName = valueOf(key, 'ProductName');
  if (productName) facts.productName = productName;
  const displayVersion = valueOf(key, 'DisplayVersion') ?? valueOf(key, 'ReleaseId');
  if (displayVersion) facts.displayVersion = displayVersion;
  if (typeof system.Name === 'string') facts.computerName = system.Name;
  if (facts.domainJoined && typeof system.Domain === 'string') facts.domain = system.Domain.toLowerCase();
  return facts;
}

function expandEnv(path: string): string {
  return path
    .replace(/%([^%]+)%/g, (whole, name: string) => process.env[name] ?? process.env[name.toUpperCase()] ?? whole)
    .replace(/^"|"$/g, '');
}

async function exists(path: string): Promise<boolean> {
  return access(expandEnv(path)).then(
    () => true,
    () => false,
  );
}

const powershell = (script: string): [string, string[]] => [
  'powershell.exe',
  ['-NoProfile', '-NonInteractive', '-Command', script],
];

export function windowsHostProbe(runner: CommandRunner): Probe {
  return {
    id: 'windows-host',
    title: "reading this host's Windows build and domain",
    provides: ['host.windows'],
    timeoutMs: 10_000,
    async run({ signal, timeoutMs }) {
      const [reg, cim] = await Promise.all([
        runner.run('reg.exe', ['query', CURRENT_VERSION], { signal, timeoutMs }),
        runner.run(...powershell(COMPUTER_SYSTEM_SCRIPT), { signal, timeoutMs }),
      ]);
      if (reg.exitCode !== 0)
        return {
          'host.windows': unavailable(`${reg.command}: ${reg.stderr.trim() || `exit code ${String(reg.exitCode)}`}`),
        };
      const facts = windowsHostFrom(reg.stdout, cim.stdout);
      return { 'host.windows': typeof facts === 'string' ? unavailable(facts) : facts };
    },
  };
}

/** The gMSA names to test: those given, and those the credential specs name. */
export function gmsaNamesOf(given: readonly string[], documents: readonly CredSpecDocument[]): string[] {
  return uniqueNames([...given.map((g) => g.replace(/\$$/, '')), ...gmsasOf(documents)]);
}

/** nltest /sc_verify on the host, and Test-ADServiceAccount for each gMSA when the AD module is installed. */
export function hostCommandsProbe(runner: CommandRunner, options: { gmsas: readonly string[] }): Probe {
  return {
    id: 'host-commands',
    title: 'running nltest, klist and Test-ADServiceAccount on this host',
    provides: ['host.commands'],
    // PowerShell loading the ActiveDirectory module takes seconds.
    timeoutMs: 20_000,
    needs: ['host.windows', 'credspec.documents'],
    tolerant: true,
    async run({ signal, timeoutMs, facts }) {
      const host = facts.optional('host.windows');
      if (!host) return { 'host.commands': unavailable("the host's Windows build and domain could not be read") };
      const result: HostCommandFacts = {};
      if (host.domain)
        result.scVerify = await runner.run('nltest.exe', [`/sc_verify:${host.domain}`], { signal, timeoutMs });
      const tests: Record<string, CommandCapture> = {};
      for (const name of host.domainJoined
        ? gmsaNamesOf(options.gmsas, facts.optional('credspec.documents') ?? [])
        : []) {
        const capture = await runner.run(
          ...powershell(`Test-ADServiceAccount -Identity '${name.replace(/'/g, "''")}'`),
          { signal, timeoutMs },
        );
        tests[name] = capture;
        // Without the AD module every further call fails the same way.
        if (toolMissing(capture)) break;
      }
      if (Object.keys(tests).length > 0) result.testAdServiceAccount = tests;
      return { 'host.commands': result };
    },
  };
}

/** The CCG plugins registered on the host, and the COM class of each PluginGUID the credential specs name. */
export function ccgPluginsProbe(runner: CommandRunner): Probe {
  return {
    id: 'ccg-plugins',
    title: 'reading the CCG plug-in registrations',
    provides: ['host.ccgPlugins'],
    timeoutMs: 10_000,
    needs: ['credspec.documents'],
    tolerant: true,
    async run({ signal, timeoutMs, facts }) {
      const options = { signal, timeoutMs };
      const all = await runner.run('reg.exe', ['query', CCG_COM_CLASSES, '/s'], options);
      const registered = all.exitCode === 0 ? registeredCcgPlugins(all.stdout) : [];
      const classes: Record<string, CcgPluginClass> = {};
      for (const guid of pluginGuidsOf(facts.optional('credspec.documents') ?? [])) {
        const [clsid, wrong] = await Promise.all([
          runner.run('reg.exe', ['query', `HKLM\\SOFTWARE\\Classes\\CLSID\\${guid}`, '/s'], options),
          runner.run('reg.exe', ['query', `${CCG_WITHOUT_CONTROL}\\${guid}`], options),
        ]);
        const comClass = clsid.exitCode === 0 ? comClassFrom(clsid.stdout) : { clsidRegistered: false };
        classes[guid] = {
          ccgRegistered: registered.includes(guid),
          registeredWithoutControl: wrong.exitCode === 0 && ccgPluginsWithoutControl(wrong.stdout).includes(guid),
          ...comClass,
          ...(comClass.server ? { serverExists: await exists(comClass.server) } : {}),
        };
      }
      return { 'host.ccgPlugins': { registered, classes } };
    },
  };
}

/** Lists <DockerRootDir>\CredentialSpecs. */
export function credentialSpecsFolderProbe(): Probe {
  return {
    id: 'credential-specs-folder',
    title: 'listing the CredentialSpecs folder',
    provides: ['host.credentialSpecs'],
    needs: ['docker.info'],
    async run({ facts }) {
      const root = facts.get('docker.info').dockerRootDir;
      if (!root) return { 'host.credentialSpecs': unavailable('docker info did not give DockerRootDir') };
      const dir = credentialSpecsDir(root);
      try {
        const files = (await readdir(dir, { withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => e.name)
          .sort();
        return { 'host.credentialSpecs': { dir, files } };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { 'host.credentialSpecs': { dir, files: [] } };
        return { 'host.credentialSpecs': unavailable(`cannot list ${dir}: ${code ?? (error as Error).message}`) };
      }
    },
  };
}
