/**
 * aws/credentials-fetcher (gMSA for Linux containers on ECS/EKS): its test client's and daemon's lines about
 * Kerberos tickets and leases, `created ticket file /var/credentials-fetcher/krbdir/<lease>/<gMSA>` and failures.
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { CredentialsFetcherData } from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';

const FORMS: readonly [RegExp, CredentialsFetcherData['outcome']][] = [
  [/^created ticket (?:file|for non domain joined gMSA) (\/\S{1,2000})$/, 'ticket-created'],
  [/^deleted ticket file (\/\S{1,2000})$/, 'ticket-deleted'],
  [/^Client received output for add kerberos lease(?: non domain joined)?: ([0-9a-f]{8,64})$/, 'lease-added'],
  [/^Client received output for delete kerberos lease: ([0-9a-f]{8,64})$/, 'lease-deleted'],
  [
    /ERROR: Cannot get gMSA krb ticket|^Client received output for add kerberos lease(?: non domain joined)?: RPC failed$/,
    'failed',
  ],
];
const GATE = /ticket|lease|krb|valid arg|Credentials-fetcher|_dir = |cred_file = |request failures|ldap\._tcp/;
const CONTEXT =
  /^(?:krb tickets will get (?:created|deleted)|provide a valid arg, for help use -h or --help$|Credentials-fetcher daemon has started running|on request failures check logs located at |\S{0,600}krb_files_dir = |cred_file = |logging_dir = |unix_socket_dir = |Found ldap\._tcp\.dc\._msdcs DNS controller )/;

/** /var/credentials-fetcher/krbdir/<lease>/<account>[/krb5cc] */
function partsOf(path: string): { leaseId?: string; account?: string } {
  const m = /\/krbdir\/([0-9a-f]{8,64})\/([^/\s]{1,256})/.exec(path);
  return m ? { leaseId: m[1], account: m[2] } : {};
}

export function recogniseCredentialsFetcher(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    if (!GATE.test(line.text)) continue;
    const text = line.text.trim();
    const form = FORMS.find(([p]) => p.test(text));
    if (form) {
      const value = form[0].exec(text)?.[1];
      const path = value?.startsWith('/') ? value : undefined;
      const data: CredentialsFetcherData = compact({
        outcome: form[1],
        path,
        ...(path ? partsOf(path) : value && form[1] !== 'failed' ? { leaseId: value } : {}),
        message: text,
      });
      items.push(makeItem('credentials-fetcher', [line], data));
      read.push(line);
    } else if (CONTEXT.test(text)) read.push(line);
  }
  return { items, read };
}
