/**
 * zod shapes of the AD facts (ldap-facts.ts), for `analyze` to validate a saved facts file before the AD checks
 * judge it: a hand-edited file then fails with the field and the reason instead of a confusing finding.
 */
import { z } from 'zod';

const sid = z.string().regex(/^S-1-\d+(-\d+)*$/, 'not a SID (S-1-...)');
const iso = z.string().datetime({ offset: true });
const summary = z.object({ dn: z.string(), sAMAccountName: z.string().optional(), objectClass: z.array(z.string()) });
const account = summary.extend({
  objectSid: sid,
  userAccountControl: z.number().int().nonnegative(),
  servicePrincipalNames: z.array(z.string()),
  dnsHostName: z.string().optional(),
  supportedEncryptionTypes: z.number().int().nonnegative().optional(),
  membershipDescriptorHex: z.string().regex(/^([0-9a-f]{2})*$/i, 'not hex').optional(),
});
const accountLookup = z.object({ name: z.string(), account: account.nullable() });

export const AD_FACT_SCHEMAS: Record<string, z.ZodType> = {
  'ad.connection': z.object({
    dc: z.string(),
    address: z.string().optional(),
    port: z.number().int(),
    transport: z.enum(['ldaps', 'starttls', 'ldap']),
    bind: z.enum(['simple', 'gssapi', 'anonymous']),
    identity: z.string().optional(),
    integratedAuth: z.string().optional(),
    ok: z.boolean(),
    problem: z.object({ kind: z.string(), resultCode: z.number().int().optional(), dataCode: z.string().optional(), detail: z.string() }).optional(),
  }),
  'ad.domain': z.object({
    dnsName: z.string(),
    netbiosName: z.string().optional(),
    forestDnsName: z.string().optional(),
    sid,
    guid: z.string().uuid(),
    baseDn: z.string(),
    dcDnsHostName: z.string().optional(),
  }),
  'ad.gmsa': accountLookup,
  'ad.accounts': z.record(z.string(), accountLookup),
  'ad.host': z.object({
    name: z.string(),
    domain: z.string().optional(),
    host: summary
      .extend({
        objectSid: sid,
        dnsHostName: z.string().optional(),
        tokenGroups: z.array(sid),
        primaryGroupId: z.number().int().optional(),
        memberOf: z.array(z.string()),
        lastLogonTimestamp: iso.optional(),
        lastLogon: iso.optional(),
      })
      .nullable(),
  }),
  'ad.hostGroups': z.array(
    z.object({ dn: z.string(), sid, sAMAccountName: z.string().optional(), whenChanged: iso.optional(), memberOf: z.array(z.string()), memberAddedAt: z.record(z.string(), iso).optional() }),
  ),
  'ad.similarNames': z.array(summary),
  'ad.spns': z.object({ clientNames: z.array(z.string()), holders: z.record(z.string(), z.array(summary)) }),
  'ad.sidNames': z.record(sid, z.string()),
};
