/**
 * nltest output, every subcommand the guide and users run: /sc_verify, /sc_query, /sc_reset, /query,
 * /parentdomain, /dsgetdc, /dclist, /domain_trusts. The `Status = N 0xN NAME` lines decide; "The command completed
 * successfully" is printed after failures too and is kept only as a fact about the output.
 */
import { parseNltest } from '../../protocol/parsers/nltest.js';
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { NltestData } from '../types.js';
import { NOTHING, compact, makeItem, outputOf, type Recognition } from '../item.js';

const SUBCOMMANDS: Readonly<Record<string, NltestData['subcommand']>> = {
  sc_verify: 'sc_verify',
  sc_query: 'sc_query',
  sc_reset: 'sc_reset',
  sc_change_pwd: 'sc_change_pwd',
  query: 'query',
  parentdomain: 'parentdomain',
  dsgetdc: 'dsgetdc',
  dclist: 'dclist',
  domain_trusts: 'domain_trusts',
  dcname: 'dcname',
};

/** `nltest /sc_verify:contoso.com` anywhere in a command line (kubectl exec, docker exec, powershell('...')). */
const NLTEST_COMMAND = /\bnltest(?:\.exe)?\s+\/([a-z_]{2,20})(?::([^\s'")]+))?/i;

/** Lines only nltest prints. */
const STRONG = [
  /\bStatus = -?\d{1,10} 0x[0-9a-f]{1,8} [A-Z][A-Za-z0-9_]{1,80}/,
  /^Trusted DC Name(?:\s|$)/,
  /^Trust Verification Status/,
  /^Get list of DCs in domain '/,
  /^List of domain trusts:$/,
  /^Dom (?:Guid|Name): /,
  /^(?:DC|Address): \\\\/,
];
/** Lines nltest prints among others; read only next to a strong one or after an nltest command. */
const WEAK = [
  /^Flags: [0-9a-f]{1,8}(?:\s|$)/i,
  /^Flags: (?:[A-Z_]+ )+0x[0-9A-F]{1,8}$/,
  /^The command completed successfully\.?$/i,
  /^(?:Forest Name|Dc Site Name|Our Site Name): /,
  /^\S+\.? \(\d+\)$/,
  /^\S+(?:\s+\[[A-Z_]+\])+(?:\s+Site: .+)?$/,
  /^\d+: \S+ (?:\S+ )?\(NT \d\)/,
  /^(?:Dom Guid|Dom Sid): /,
];

/** Every nltest line has one of these; most lines of a paste have none. */
const GATE =
  /Status = |Trust|trusts:|DC|Dom |Flags:|completed successfully|Forest Name|Site Name|\(\d{1,3}\)$|\[[A-Z]{2,}\]|^\s*\d{1,4}: /;

function isNltestLine(line: NormalisedLine, strongOnly: boolean): boolean {
  if (!GATE.test(line.text)) return false;
  const text = line.text.trim();
  return STRONG.some((p) => p.test(text)) || (!strongOnly && WEAK.some((p) => p.test(text)));
}

function subcommandFromOutput(result: ReturnType<typeof parseNltest>): NltestData['subcommand'] {
  if (result.trustVerificationStatus) return 'sc_verify';
  if (result.dsgetdc || /^Getting DC name/i.test(result.failure?.operation ?? '')) return 'dsgetdc';
  if (result.parentDomain || /parent domain/i.test(result.failure?.operation ?? '')) return 'parentdomain';
  if (result.dcList || /DC list/i.test(result.failure?.operation ?? '')) return 'dclist';
  if (result.trusts || /domain trusts/i.test(result.failure?.operation ?? '')) return 'domain_trusts';
  if (result.connectionStatus && result.trustedDcName === undefined) return 'query';
  return 'unknown';
}

function quoted(lines: NormalisedLine[]): NormalisedLine[] {
  const decisive = lines.filter((l) =>
    /Status = |^Trusted DC Name|^DC: |^Get list of DCs|^\S+\.? \(\d+\)$|^\d+: /.test(l.text.trim()),
  );
  return decisive.length > 0 ? decisive : lines;
}

export function recogniseNltest(block: Block): Recognition {
  const command = block.command && NLTEST_COMMAND.exec(block.command.text);
  const lines = block.lines.filter((l) => isNltestLine(l, !command));
  if (lines.length === 0) return NOTHING;
  // Without the command, weak lines count only between the first and last strong one, or right after them.
  const first = block.lines.indexOf(lines[0]!);
  const section = command ? lines : block.lines.slice(first).filter((l) => isNltestLine(l, false));
  const result = parseNltest(section.map((l) => l.text).join('\n'));
  if (
    result.statuses.length === 0 &&
    !result.dsgetdc &&
    !result.parentDomain &&
    !result.dcList &&
    !result.trusts &&
    !command
  )
    return NOTHING;
  const name = command?.[1]?.toLowerCase() ?? '';
  const named = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  const data: NltestData = compact({
    subcommand: named ?? subcommandFromOutput(result),
    argument: command?.[2],
    flags: result.flags,
    trustedDcName: result.trustedDcName,
    connectionStatus: result.connectionStatus,
    trustVerificationStatus: result.trustVerificationStatus,
    failure: result.failure,
    dsgetdc: result.dsgetdc,
    parentDomain: result.parentDomain,
    dcList: result.dcList,
    trusts: result.trusts,
    statuses: result.statuses,
    error: result.error,
    ok: result.ok,
    completedLine: result.completedLine,
    output: outputOf(section),
  });
  if (data.trustedDcName === undefined && result.trustedDcName === '') data.trustedDcName = '';
  return { items: [makeItem('nltest', quoted(section), data, { extent: section })], read: section };
}
