/** What the checks of "Check the gMSA account" share: naming the account, and the gMSA when it was found. */
import type { FactReader } from '../../engine/facts.js';
import type { FindingDraft } from '../../engine/finding.js';
import { describeUac } from '../../protocol/uac.js';
import type { AdAccount, AdObjectSummary } from '../../facts/ad.js';

export const GMSA_CLASS = 'msDS-GroupManagedServiceAccount';

/** `webapp01` for `webapp01$`: how PowerShell's -Identity and the guide name a gMSA. */
export function bareName(samAccountName: string): string {
  return samAccountName.replace(/\$$/, '');
}

export function accountLabel(account: AdObjectSummary): string {
  return account.sAMAccountName ?? account.dn;
}

function netbiosOf(facts: FactReader<'ad.domain'>): string | undefined {
  return facts.optional('ad.domain')?.netbiosName;
}

export function qualified(facts: FactReader<'ad.domain'>, sam: string): string {
  const netbios = netbiosOf(facts);
  return netbios ? `${netbios}\\${sam}` : sam;
}

export function gmsaEvidence(account: AdAccount): Record<string, unknown> {
  return {
    dn: account.dn,
    sAMAccountName: account.sAMAccountName,
    userAccountControl: describeUac(account.userAccountControl),
  };
}

/** The gMSA when it was found, else undefined (account/exists reports the absence). */
export function foundGmsa(facts: FactReader<'ad.gmsa'>): AdAccount | undefined {
  return facts.get('ad.gmsa').account ?? undefined;
}

export function notFound(facts: FactReader<'ad.gmsa'>): FindingDraft {
  return { severity: 'skipped', message: `gMSA ${facts.get('ad.gmsa').name}$ was not found (see account/exists)` };
}
