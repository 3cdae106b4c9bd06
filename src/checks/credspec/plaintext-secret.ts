import { documentCheck } from './_document.js';
import { findPlaceholder, lookup } from '../../credspec/values.js';
import { HOST_FIELD, hostAccount, warning } from './_document.js';

const SECRET_ASSIGNMENT = /(?:^|[;,\s])(password|passwd|pwd|pass|secret|clientsecret|apikey|token)\s*=\s*([^;,\s]+)/i;

export default documentCheck({
  id: 'credspec/plaintext-secret',
  title: 'PluginInput holds no plaintext password',
  looksAt:
    'ActiveDirectoryConfig.HostAccountConfig.PluginInput: key=value pairs such as PASSWORD=..., and the domain:user:password form.',
  why: 'A credential spec is stored in DockerRootDir, in Kubernetes resources and in source control; a password inside it is readable by everyone who can read those.',
  remediation:
    'Keep the password in a secret store your plugin reads (Key Vault, Vault, Secrets Manager) and put only its reference in PluginInput; rotate the exposed password.',
  check(doc) {
    const config = hostAccount(doc);
    const input = lookup(config, 'PluginInput');
    if (!input || typeof input.value !== 'string') return [];
    const field = `${HOST_FIELD}.${input.key}`;
    const assignment = SECRET_ASSIGNMENT.exec(input.value);
    if (assignment && !findPlaceholder(assignment[2]!)) {
      return [
        warning(field, `PluginInput contains a ${assignment[1]!.toUpperCase()}= value in plain text (value not shown)`),
      ];
    }
    const parts = input.value.split(':');
    if (parts.length === 3 && /^[a-z0-9.-]+$/i.test(parts[0]!) && parts[2] && !findPlaceholder(parts[2])) {
      return [
        warning(field, 'PluginInput looks like domain:user:password with the password in plain text (value not shown)'),
      ];
    }
    return [];
  },
});
