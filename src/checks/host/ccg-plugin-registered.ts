import { defineCheck } from '../../engine/check.js';
import { pluginGuidsOf } from '../../credspec/identity.js';
import type { FindingDraft } from '../../engine/finding.js';
import { CCG_COM_CLASSES } from '../../protocol/parsers/ccg-registry.js';

export default defineCheck({
  meta: {
    id: 'host/ccg-plugin-registered',
    title: "The credential spec's CCG plugin is registered on the host",
    section: 'host-non-domain-joined',
    link: 'host',
    fault: 'plugin-not-registered',
    looksAt: `Each PluginGUID of the credential specs under ${CCG_COM_CLASSES}\\{GUID}, its COM class under HKLM\\SOFTWARE\\Classes\\CLSID\\{GUID} and the class's server file.`,
    why: 'CCG loads the plugin by CLSID from the CCG COMClasses key; an unregistered plugin means CCG event 4 and a container without identity.',
    remediation:
      'Install the plugin as its vendor documents; the CLSID must be under HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses.',
  },
  needs: ['host.ccgPlugins'],
  uses: ['credspec.documents'],
  run(facts) {
    const plugins = facts.get('host.ccgPlugins');
    const documents = facts.optional('credspec.documents');
    // Without the specs (a pasted `reg query`), the registrations seen are judged: one under the wrong key is wrong.
    const guids = documents
      ? pluginGuidsOf(documents)
      : [...new Set([...plugins.registered, ...Object.keys(plugins.classes)])];
    if (guids.length === 0 && !documents)
      return [
        {
          severity: 'skipped',
          message: 'Skipped: no credential spec was given and no CCG plug-in registration was seen.',
        },
      ];
    if (guids.length === 0)
      return [
        {
          severity: 'pass',
          message: 'No credential spec names a CCG plugin (HostAccountConfig): none needs registering.',
        },
      ];
    return guids.map((guid): FindingDraft => {
      const key = `${CCG_COM_CLASSES}\\${guid}`;
      const cls = plugins.classes[guid];
      const registered = cls?.ccgRegistered ?? plugins.registered.includes(guid);
      const evidence = { pluginGuid: guid, registeredPlugins: plugins.registered, ...(cls ?? {}) };
      if (!registered) {
        const wrongPath = cls?.registeredWithoutControl
          ? ` It is registered under HKLM\\SYSTEM\\CurrentControlSet\\CCG\\COMClasses, which lacks \\Control\\: CCG never looks there.`
          : '';
        return {
          severity: 'error',
          subject: guid,
          message: `CCG plugin ${guid} is not registered under ${key}.${wrongPath}`,
          evidence,
          remediation: {
            text: 'Install the plugin (its installer registers the CLSID under CCG\\COMClasses), then check the registration.',
            commands: [`reg query "${key}"`],
          },
        };
      }
      if (cls?.clsidRegistered === false)
        return {
          severity: 'error',
          subject: guid,
          message: `CCG plugin ${guid} is listed under CCG COMClasses but has no COM class (HKLM\\SOFTWARE\\Classes\\CLSID\\${guid}).`,
          evidence,
        };
      if (cls?.serverExists === false)
        return {
          severity: 'error',
          subject: guid,
          message: `CCG plugin ${guid}'s COM server ${cls.server ?? ''} does not exist.`,
          evidence,
        };
      return {
        severity: 'pass',
        subject: guid,
        message: `CCG plugin ${guid} is registered under ${key}${cls?.server ? ` (server ${cls.server})` : ''}.`,
        evidence,
      };
    });
  },
});
