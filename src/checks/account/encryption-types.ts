import { defineCheck } from '../../engine/check.js';
import { AES_MASK, ENCTYPES, encTypeNames } from '../../protocol/uac.js';
import { accountLabel, bareName, foundGmsa, notFound } from './_account.js';

export default defineCheck({
  meta: {
    id: 'account/encryption-types',
    title: 'The gMSA supports AES Kerberos encryption',
    section: 'account',
    link: 'account',
    fault: 'account-no-aes',
    looksAt: 'msDS-SupportedEncryptionTypes of the gMSA (RC4 0x4, AES128 0x8, AES256 0x10).',
    why: 'Without AES the tickets for the container use RC4, which hardened DCs and clients refuse (and Windows is removing).',
    remediation: 'Set-ADServiceAccount -KerberosEncryptionType AES128,AES256.',
  },
  subject: 'gmsa',
  needs: ['ad.gmsa'],
  run(facts) {
    const account = foundGmsa(facts);
    if (!account) return [notFound(facts)];
    const subject = accountLabel(account);
    const value = account.supportedEncryptionTypes;
    const fix = {
      text: 'Allow AES (and, once clients cope, only AES).',
      commands: [`Set-ADServiceAccount -Identity ${bareName(subject)} -KerberosEncryptionType AES128,AES256`],
    };
    if (value === undefined) {
      return [
        {
          severity: 'warning',
          subject,
          evidence: { 'msDS-SupportedEncryptionTypes': null },
          message: `${subject} has no msDS-SupportedEncryptionTypes: the DC falls back to its default, RC4 on older domains`,
          remediation: fix,
        },
      ];
    }
    const names = encTypeNames(value);
    const evidence = { 'msDS-SupportedEncryptionTypes': value, names };
    if ((value & AES_MASK) === 0) {
      const rc4Only = (value & 0x1f) === ENCTYPES.RC4_HMAC;
      return [
        {
          severity: 'error',
          subject,
          evidence,
          message: `${subject} supports ${rc4Only ? 'RC4 only' : names.join(', ') || 'no Kerberos encryption type'} (msDS-SupportedEncryptionTypes ${value}): no AES`,
          remediation: fix,
        },
      ];
    }
    const rc4 = value & ENCTYPES.RC4_HMAC ? ' (RC4 is still allowed too)' : '';
    return [{ severity: 'pass', subject, evidence, message: `${subject} supports ${names.join(', ')}${rc4}` }];
  },
});
