/**
 * Kerberos errors from the Linux side of gMSA (ECS/EKS with credentials-fetcher, gmsad, SSSD, plain kinit):
 *   kinit: Client 'x@REALM' not found in Kerberos database while getting initial credentials
 *   ldap_child[...]: Failed to initialize credentials using keytab [...]: KDC has no support for encryption type.
 *   Exception: Could not retrieve salt from AS_REP, got Kerberos error KDC_ERR_CLIENT_REVOKED (18)
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { LinuxKerberosData } from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';
import { lookAlike } from '../lookalikes.js';

const PROBLEMS: readonly [RegExp, LinuxKerberosData['problem']][] = [
  [
    /Client '([^']{1,600})' not found in Kerberos database|KDC_ERR_C_PRINCIPAL_UNKNOWN|Client not found in Kerberos database/,
    'principal-unknown',
  ],
  [/KDC has no support for encryption type|KDC_ERR_ETYPE_NOSUPP/, 'etype-nosupp'],
  [/Client's credentials have been revoked|KDC_ERR_CLIENT_REVOKED/, 'client-revoked'],
  [/Preauthentication failed|Password incorrect|KDC_ERR_PREAUTH_FAILED/, 'preauth-failed'],
  [/Clock skew too great|KRB_AP_ERR_SKEW/, 'clock-skew'],
  [/Cannot (?:contact any KDC|find KDC) for (?:requested )?realm/, 'kdc-unreachable'],
];

const TOOLS: readonly [RegExp, LinuxKerberosData['tool']][] = [
  [/^kinit: /, 'kinit'],
  [/ldap_child\[|\bsssd\b/, 'sssd'],
  [/Could not retrieve salt from AS_REP|gmsad/, 'gmsad'],
  [/credentials-fetcher|Cannot get gMSA krb ticket/, 'credentials-fetcher'],
  [/GSSException|gss_/i, 'gssapi'],
];

const HINT = /kinit|Kerberos|KDC|krb|ldap_child|AS_REP|encryption type|GSS/i;
/** gmsad's log (`INFO:root:Retrieving secret of mygmsa$`) and the Python traceback it raises. */
const GMSAD_LOG = /^(?:INFO|WARNING|ERROR|DEBUG):root:(?:Retrieving secret of (\S{1,300})|.{0,2000})$/;
const TRACEBACK = /^(?:Traceback \(most recent call last\):|File "[^"]{1,600}", line \d+)/;

export function recogniseLinuxKerberos(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  const commandTool = block.command?.program === 'gmsad' ? 'gmsad' : undefined;
  let account: string | undefined;
  for (const line of block.lines) {
    const text = line.text.trim();
    const log = text.includes(':root:') ? GMSAD_LOG.exec(text) : null;
    if (log || ((text.startsWith('Traceback') || text.startsWith('File "')) && TRACEBACK.test(text))) {
      account = log?.[1] ?? account;
      read.push(line);
      continue;
    }
    if (!HINT.test(text)) continue;
    const problem = PROBLEMS.find(([p]) => p.test(text));
    if (!problem) continue;
    const tool = TOOLS.find(([p]) => p.test(text))?.[1] ?? commandTool ?? 'other';
    // Windows prints KDC_ERR_* names too (klist, events): those lines are read by their own recognisers.
    if (tool === 'other' && !/^kinit|Kerberos error|Kerberos database|encryption type/.test(text)) continue;
    const data: LinuxKerberosData = compact({
      tool,
      problem: problem[1],
      principal: /Client '([^']{1,600})'/.exec(text)?.[1] ?? (tool === 'gmsad' ? account : undefined),
      message: text,
    });
    // A host's own keytab meeting the DC's encryption-type policy: not a gMSA.
    const hostKeytab = problem[1] === 'etype-nosupp' && /keytab \[?(?:MEMORY:|FILE:)?\/etc\/krb5\.keytab/.test(text);
    items.push(
      makeItem('linux-kerberos', [line], data, hostKeytab ? { lookAlike: lookAlike('host-kerberos-etype', true) } : {}),
    );
    read.push(line);
  }
  return { items, read };
}
