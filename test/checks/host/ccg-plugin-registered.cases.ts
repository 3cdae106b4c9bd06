import { readFileSync } from 'node:fs';
import {
  ccgPluginsWithoutControl,
  comClassFrom,
  registeredCcgPlugins,
} from '../../../src/protocol/parsers/ccg-registry.js';
import { cases } from '../_harness.js';
import { specDocuments } from '../_fixtures.js';

const reg = (name: string): string => readFileSync(new URL(`../../fixtures/host/${name}`, import.meta.url), 'utf8');
// reg query of a host with the Azure Key Vault plug-in (macsux/kerberos-buildpack notes), and the .reg file of
// another plug-in written without \Control\ (Windows-Containers#196).
const AKV = reg('macsux-kerberos-buildpack__NOTES-reg-query-CCG-COMClasses-AKV-plugin.txt');
const registered = registeredCcgPlugins(AKV);
const [misplaced] = ccgPluginsWithoutControl(
  reg('macsux-kerberos-buildpack__README-reg-CCG-COMClasses-missing-Control.txt'),
);

export default cases({
  success: [
    {
      name: 'the Azure Key Vault plug-in, registered with its COM server',
      facts: {
        'host.ccgPlugins': { registered, classes: { [registered[0]!]: { ccgRegistered: true, ...comClassFrom(AKV) } } },
        'credspec.documents': specDocuments('macsux-kerberos-buildpack__CcgPlugin__vault.json'),
      },
      expect: [
        {
          severity: 'pass',
          subject: '{CCC2A336-D7F3-4818-A213-272B7924213E}',
          message: /is registered under .*\(server C:\\Windows\\System32\\CCGAKVPlugin\.dll\)/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'a plug-in registered without \\Control\\',
      facts: {
        'host.ccgPlugins': {
          registered,
          classes: { [misplaced!]: { ccgRegistered: false, registeredWithoutControl: true } },
        },
        'credspec.documents': specDocuments('macsux-kerberos-buildpack__CcgPlugin__ccg.json'),
      },
      expect: [
        {
          severity: 'error',
          subject: '{DEFFF03C-3245-465F-8391-CC586A2D1F32}',
          message: /is not registered under .* which lacks \\Control\\: CCG never looks there/,
        },
      ],
    },
  ],
});
