/**
 * The Docker daemon refusing a credential spec (moby daemon/oci_windows.go), and the CLI refusing the option:
 *   credential spec 'C:\ProgramData\docker\CredentialSpecs\x.json' for container <id> as the file could not be read: "open ...: <reason>".
 *   credential spec for container <id> could not be read from file "<path>": open <path>: <reason>
 *   invalid credential spec - file:// path cannot be absolute | ... path must be under <dir>
 *   registry credential spec "<name>" for container <id> was not found
 *   failed handling spec "<name>" for container <id> - registry key <key> could not be opened
 *   invalid credential spec security option - value must be prefixed ...
 *   invalid security option: no equals sign in supplied value <v> | security option not supported: <k>
 *   invalid --security-opt: "<v>"
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { CredspecErrorData } from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';

const FORMS: readonly { pattern: RegExp; read: (m: RegExpExecArray) => CredspecErrorData }[] = [
  {
    pattern:
      /credential spec '([^']{1,600})' for container (\S{1,200}) as the file could not be read: "?(?:open [^:]{1,600}(?::[^:]{1,600})?: )?([^"]{0,600})"?/,
    read: (m) => ({
      problem: 'file-unreadable',
      file: m[1] ?? '',
      container: m[2] ?? '',
      reason: (m[3] ?? '').replace(/\.$/, ''),
    }),
  },
  {
    pattern:
      /credential spec for container (\S{1,200}) could not be read from file "([^"]{1,600})": (?:open [^:]{1,600}(?::[^:]{1,600})?: )?(.{0,600})$/,
    read: (m) => ({
      problem: 'file-unreadable',
      container: m[1] ?? '',
      file: m[2] ?? '',
      reason: (m[3] ?? '').replace(/\.?["']?$/, ''),
    }),
  },
  {
    pattern: /invalid credential spec - file:\/\/ path cannot be absolute/,
    read: () => ({ problem: 'file-path-absolute' }),
  },
  {
    pattern: /invalid credential spec - file:\/\/ path must be under (\S.{0,600})$/,
    read: (m) => ({ problem: 'file-path-outside', file: m[1] ?? '' }),
  },
  {
    pattern: /registry credential spec "([^"]{1,600})" for container (\S{1,200}) was not found/,
    read: (m) => ({ problem: 'registry-value-missing', file: m[1] ?? '', container: m[2] ?? '' }),
  },
  {
    pattern:
      /failed handling spec "([^"]{1,600})" for container (\S{1,200}) - registry key (.{1,600}?) could not be opened(?:: (.{0,600}))?$/,
    read: (m) =>
      compact({
        problem: 'registry-key-unreadable',
        file: m[1] ?? '',
        container: m[2] ?? '',
        option: m[3],
        reason: m[4],
      }),
  },
  { pattern: /invalid credential spec security option\b/, read: () => ({ problem: 'invalid-option' }) },
  {
    pattern: /invalid security option: no equals sign in supplied value (\S{1,600})/,
    read: (m) => ({ problem: 'no-equals-sign', option: m[1] ?? '' }),
  },
  {
    pattern: /security option not supported: (\S{1,600})/,
    read: (m) => ({ problem: 'unsupported-option', option: m[1] ?? '' }),
  },
  {
    pattern: /invalid --security-opt:? "?([^"]{0,600})"?/i,
    read: (m) => ({ problem: 'invalid-security-opt', option: m[1] ?? '' }),
  },
];

export function recogniseCredspecError(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    if (!/credential spec|security.opt|security option/i.test(line.text)) continue;
    for (const form of FORMS) {
      const m = form.pattern.exec(line.text);
      if (!m) continue;
      items.push(makeItem('credspec-error', [line], compact(form.read(m))));
      read.push(line);
      break;
    }
  }
  return { items, read };
}
