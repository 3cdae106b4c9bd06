/**
 * `Test-ADServiceAccount <gMSA>` on a container host: True, False, or its WARNING (the host may not use the gMSA, or
 * does not support its encryption types).
 */
import { parseTestAdServiceAccount } from '../../protocol/parsers/powershell.js';
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { TestAdServiceAccountData } from '../types.js';
import { NOTHING, compact, makeItem, outputOf, type Recognition } from '../item.js';

const WARNING = /^WARNING: Test failed for Managed Service Account (\S+?)\.?(?:\s|$)/i;
/** `True`, and the `-> True` some users type to show what came back. */
const ANSWER = /^(?:-?>\s*)?(True|False)$/i;

function identityOf(args: string): string | undefined {
  const m =
    /(?:^|\s)-Identity\s+(?:"([^"]+)"|'([^']+)'|(\S+))/i.exec(args) ??
    /^(?:"([^"]+)"|'([^']+)'|([^\s-]\S*))/.exec(args);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

export function recogniseTestAdServiceAccount(block: Block): Recognition {
  const isCommand = block.command?.program === 'test-adserviceaccount';
  const warnings = block.lines.filter((l) => WARNING.test(l.text.trim()));
  if (!isCommand && warnings.length === 0) return NOTHING;
  const output = block.lines.filter((l) => l.text.trim() !== '');
  const answer = isCommand ? output.slice(0, 3).find((l) => ANSWER.test(l.text.trim())) : undefined;
  const errorLine = isCommand ? output.find((l) => /^Test-ADServiceAccount\s*:/i.test(l.text.trim())) : undefined;
  const quoted = [answer, ...warnings, errorLine].filter((l): l is NormalisedLine => l !== undefined);
  if (quoted.length === 0) return NOTHING;
  const parsed = parseTestAdServiceAccount(quoted.map((l) => l.text.trim().replace(/^-?>\s*/, '')).join('\n'));
  const data: TestAdServiceAccountData = compact({
    identity:
      (block.command && isCommand ? identityOf(block.command.args) : undefined) ??
      WARNING.exec(warnings[0]?.text.trim() ?? '')?.[1],
    result: parsed.result ?? (warnings.length > 0 ? false : undefined),
    warning: parsed.warning,
    error: parsed.error,
    moduleMissing: parsed.moduleMissing,
    output: outputOf(quoted),
  });
  return { items: [makeItem('test-adserviceaccount', quoted, data)], read: quoted };
}
