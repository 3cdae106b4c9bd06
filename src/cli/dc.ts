/**
 * `gmsa-doctor dc --domain D`: DC discovery as `nltest /dsgetdc` shows it, plus reachability: a compact table
 * per DC (name, address, site, flags, each port), then the findings; or all of it as JSON.
 */
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { createColors } from 'picocolors';
import { NETWORK_CHECKS } from '../checks/index.js';
import type { FactReader } from '../engine/facts.js';
import { printable, terminalSafeJson } from '../engine/printable.js';
import { redact } from '../engine/redact.js';
import type { CheckOptions } from '../engine/options.js';
import { run } from '../engine/runner.js';
import { planProbes } from '../plan/plan.js';
import { networkProbes } from '../plan/probes.js';
import { REACHABILITY_PRINCIPAL } from '../probes/kerberos.js';
import { toJson } from '../report/json.js';
import type { Report } from '../report/model.js';
import { exitCodeOf } from '../report/model.js';
import { renderText } from '../report/text.js';
import { accountNameOf, addDomainOptions, addTlsOptions, caFileOf, checkOptions } from './options.js';
import type { DomainFlags, TlsFlags } from './options.js';
import { colorWanted, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions } from './output.js';
import { terminalProgress } from './progress.js';
import type { CldapPing, DcCandidate, DnsFacts, KdcProbeEntry, PortResult, TlsResult } from '../facts/network.js';

interface DcFlags extends DomainFlags, TlsFlags, OutputOptions {
  gmsa?: string;
}

/** Everything known about one DC, for the table and the JSON `dcs` array. */
export interface DcView {
  host: string;
  address?: string;
  source: DcCandidate['source'];
  unresolved?: string;
  ping?: CldapPing;
  ports: PortResult[];
  tls: TlsResult[];
  kerberos: KdcProbeEntry[];
}

export interface DcReport {
  report: Report;
  dcs: DcView[];
  dns?: DnsFacts;
}

export function dcOptions(flags: DomainFlags & TlsFlags & { gmsa?: string }): CheckOptions {
  if (!flags.domain && !flags.dc) throw new UsageError('give --domain (DCs found through DNS) or --dc (one DC)');
  const ldap = {
    transport: 'ldaps' as const,
    caFile: caFileOf(flags),
    insecureTls: flags.insecureTls ?? false,
    kerberos: false,
  };
  return { ...checkOptions(flags, ldap), gmsas: flags.gmsa ? [accountNameOf('--gmsa', flags.gmsa, flags.domain)] : [] };
}

function viewsOf(facts: FactReader): DcView[] {
  const candidates = facts.optional('dc.candidates') ?? [];
  const ports = facts.optional('net.ports') ?? [];
  const tls = facts.optional('net.tls') ?? [];
  const pings = facts.optional('net.cldap') ?? [];
  const kerberos = facts.optional('net.kerberos')?.exchanges ?? [];
  return candidates.map((c) => ({
    host: c.host,
    ...(c.address ? { address: c.address } : {}),
    source: c.source,
    ...(c.unresolved ? { unresolved: c.unresolved } : {}),
    ...(pings.find((p) => p.dc === c.host) ? { ping: pings.find((p) => p.dc === c.host) } : {}),
    ports: ports.filter((p) => p.dc === c.host),
    tls: tls.filter((t) => t.dc === c.host),
    kerberos: kerberos.filter((k) => k.dc === c.host),
  }));
}

/** Runs discovery and every network probe concurrently; the whole run takes about one timeout. */
export async function diagnoseDcs(options: CheckOptions): Promise<DcReport> {
  const plan = planProbes(networkProbes(options), options, undefined, NETWORK_CHECKS);
  const result = await run({ ...plan, timeoutMs: options.timeoutMs, onProbe: terminalProgress() });
  const report: Report = {
    command: 'dc',
    findings: result.findings,
    inputErrors: [],
    durationMs: result.durationMs,
    vantagePoint: `this machine (${hostname()}), not necessarily the container host`,
    notChecked: plan.notChecked,
    probes: result.probes,
  };
  const dns = result.facts.optional('net.dns');
  return { report, dcs: viewsOf(result.facts), ...(dns ? { dns } : {}) };
}

// ---------------------------------------------------------------------------------------------------------
// Text

type Colors = ReturnType<typeof createColors>;

function paintState(c: Colors, state: string, text: string): string {
  if (state === 'open' || state === 'ok' || state === 'answer') return c.green(text);
  if (state === 'filtered' || state === 'timeout') return c.yellow(text);
  return c.red(text);
}

function portGrid(ports: readonly PortResult[], c: Colors): string[] {
  const lines: string[] = [];
  const width = 10;
  for (let i = 0; i < ports.length; i += 6) {
    const row = ports.slice(i, i + 6);
    lines.push('  ' + 'Port'.padEnd(12) + row.map((p) => `${p.port}/${p.proto}`.padEnd(width)).join(''));
    lines.push('  ' + ''.padEnd(12) + row.map((p) => paintState(c, p.state, p.state.padEnd(width))).join(''));
    lines.push('  ' + ''.padEnd(12) + c.dim(row.map((p) => `${p.ms} ms`.padEnd(width)).join('')));
  }
  return lines;
}

function pingLines(ping: CldapPing | undefined, c: Colors): string[] {
  const row = (label: string, value: string): string => `  ${label.padEnd(12)}${value}`;
  if (!ping) return [];
  if (!ping.response)
    return [
      row(
        'LDAP ping',
        paintState(c, ping.outcome, `${ping.outcome} after ${ping.ms} ms${ping.detail ? ` (${ping.detail})` : ''}`),
      ),
    ];
  const r = ping.response;
  return [
    row('DC name', `\\\\${r.dnsHostName}  (${r.netbiosDomainName}\\${r.netbiosComputerName})`),
    row('Domain', `${r.dnsDomainName}  forest ${r.dnsForestName}  GUID ${r.domainGuid}`),
    row('Site', `${r.dcSiteName || '-'}  (client site: ${r.clientSiteName || 'none'})`),
    row('Flags', `0x${r.flags.toString(16)} ${r.flagNames.join(' ')}`),
    ...(ping.user
      ? [row('Account', `${ping.user}: ${r.opcode === 25 ? c.red('unknown to this DC') : c.green('known')}`)]
      : []),
  ];
}

/** What a KRB-ERROR code says about the account asked about. */
const ACCOUNT_VERDICT: Record<number, string> = { 25: 'known', 6: 'unknown', 18: 'disabled' };

function kerberosLine(entries: readonly KdcProbeEntry[], c: Colors): string[] {
  if (entries.length === 0) return [];
  const parts = entries.map((e) => {
    if (!e.error) return `${e.transport} ${paintState(c, e.outcome, e.outcome)} ${c.dim(`${e.ms} ms`)}`;
    // The stand-in name asked when no --gmsa is given is unknown by design: say only that the KDC answered.
    const verdict = e.principal.startsWith(REACHABILITY_PRINCIPAL) ? 'answers' : ACCOUNT_VERDICT[e.error.code];
    const text = `${verdict ? `${verdict} ` : ''}(${e.error.code} ${e.error.name})`;
    return `${e.transport} ${paintState(c, verdict === 'known' || verdict === 'answers' ? 'ok' : 'error', text)} ${c.dim(`${e.ms} ms`)}`;
  });
  const skew = entries.find((e) => e.clockSkewMs !== undefined)?.clockSkewMs;
  const etypes = entries.find((e) => e.error?.etypeInfo2.length)?.error?.etypeInfo2.map((t) => t.name);
  return [
    `  ${'Kerberos'.padEnd(12)}${entries[0]!.principal}: ${parts.join(', ')}`,
    ...(etypes ? [`  ${''.padEnd(12)}keys: ${etypes.join(', ')}`] : []),
    ...(skew !== undefined
      ? [`  ${'Clock skew'.padEnd(12)}${(Math.abs(skew) < 50 ? 0 : skew / 1000).toFixed(1)} s (KDC minus this machine)`]
      : []),
  ];
}

function tlsLines(results: readonly TlsResult[], c: Colors): string[] {
  return results.map((t) => {
    const label = (t.mode === 'ldaps' ? 'LDAPS 636' : 'StartTLS').padEnd(12);
    if (t.outcome !== 'ok') return `  ${label}${paintState(c, t.outcome, t.outcome)} ${c.dim(t.detail ?? '')}`;
    const verdict =
      t.trust === 'not-verified'
        ? c.yellow('not verified')
        : t.chainValid && t.nameMatches
          ? c.green('verified')
          : c.red(`${t.chainError ?? ''} ${t.nameMatches ? '' : 'name mismatch'}`.trim());
    return `  ${label}${t.protocol ?? ''}  ${verdict}  ${c.dim(`until ${t.certificate?.validTo.slice(0, 10) ?? '?'}, ${t.ms} ms`)}`;
  });
}

function dnsLines(dns: DnsFacts | undefined, c: Colors): string[] {
  if (!dns) return [];
  const out = [
    c.bold(
      `DNS ${dns.server.address}:${dns.server.port} (${dns.server.source === 'option' ? '--dns-server' : 'system resolver'})`,
    ),
  ];
  const keys = [...new Set(dns.lookups.map((l) => `${l.type} ${l.name}`))];
  for (const key of keys) {
    const byTransport = dns.lookups.filter((l) => `${l.type} ${l.name}` === key);
    const cells = byTransport.map(
      (l) => `${l.transport} ${paintState(c, l.outcome, l.outcome)} ${c.dim(`${l.ms} ms`)}`,
    );
    out.push(`  ${key.padEnd(48)}${cells.join('  ')}`);
  }
  return out;
}

export function renderDcText(given: DcReport, options: { color: boolean; verbose?: boolean }): string {
  const result = printable(redact(given));
  const c = createColors(options.color);
  const out: string[] = [];
  for (const dc of result.dcs) {
    const from = dc.source === 'option' ? '--dc' : 'DNS SRV';
    out.push(
      c.bold(`DC ${dc.host}`) +
        `  ${dc.address ?? c.red(`unresolved: ${dc.unresolved ?? ''}`)}  ${c.dim(`(from ${from})`)}`,
    );
    out.push(
      ...pingLines(dc.ping, c),
      ...kerberosLine(dc.kerberos, c),
      ...tlsLines(dc.tls, c),
      ...portGrid(dc.ports, c),
      '',
    );
  }
  if (result.dcs.length === 0) out.push(c.red('No DC found.'), '');
  out.push(...dnsLines(result.dns, c));
  return out.join('\n') + '\n' + renderText(result.report, { color: options.color, verbose: options.verbose ?? false });
}

export function renderDcJson(result: DcReport): string {
  const json = { ...toJson(result.report), ...redact({ dcs: result.dcs, ...(result.dns ? { dns: result.dns } : {}) }) };
  return terminalSafeJson(JSON.stringify(json, null, 2)) + '\n';
}

export function registerDc(program: Command): void {
  const command = program
    .command('dc')
    .description(
      'find the domain controllers and test them like `nltest /dsgetdc` plus reachability: DNS, LDAP ping, ports, LDAPS, Kerberos',
    )
    .option('--gmsa <name>', 'also ask each DC and KDC whether it knows this account');
  addDomainOptions(command);
  addTlsOptions(command);
  withOutputOptions(command, ['text', 'json']).action(async (flags: DcFlags) => {
    const result = await diagnoseDcs(dcOptions(flags));
    const text =
      flags.format === 'json'
        ? renderDcJson(result)
        : renderDcText(result, {
            color: flags.output ? false : colorWanted(flags.color),
            verbose: flags.verbose ?? false,
          });
    if (flags.output) writeFileSync(flags.output, text);
    else process.stdout.write(text);
    process.exitCode = exitCodeOf(result.report);
  });
}
