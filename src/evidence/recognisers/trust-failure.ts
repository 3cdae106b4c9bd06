/**
 * "The trust relationship between this workstation and the primary domain failed" (ERROR_TRUSTED_RELATIONSHIP_FAILURE,
 * 1789): a .NET exception (Win32Exception, SystemException, IdentityNotMappedException), the sentence alone, its
 * German text, or a program's `failed with 1789`. About the machine's own domain membership; inside a container that
 * uses a gMSA, it is a gMSA symptom (several containers sharing one gMSA name, Windows-Containers#405).
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { TrustFailureData } from '../types.js';
import { codeOf, compact, makeItem, type Recognition } from '../item.js';
import { lookAlike } from '../lookalikes.js';

const ENGLISH = /The trust relationship between this workstation and the primary domain failed/i;
const GERMAN =
  /Die Vertrauensstellung zwischen dieser Arbeitsstation und der primären Domäne (?:ist fehlgeschlagen|konnte nicht hergestellt werden)/i;
const EXCEPTION = /((?:System\.)?[\w.]{0,200}Exception)\s*(?:\((0x[0-9A-Fa-f]{1,8})\))?\s*:/;
const WIN32_1789 = /\b(?:failed with|error(?: code)?:?|returned)\s+1789\b/i;
/** A .NET stack trace under the exception. */
const STACK =
  /^(?:Stack Trace:|at [\w.`<>[\]]{1,400}\(.{0,2000}\)$|\S{1,400}\(\d+,\d+\): at [\w.`<>[\]]{1,400}\(.{0,2000}\)$)/;

export function recogniseTrustFailure(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  block.lines.forEach((line, index) => {
    const text = line.text;
    if (!text.includes('trust relationship') && !text.includes('Vertrauensstellung') && !text.includes('1789')) return;
    const german = GERMAN.test(text);
    const win32 = !german && !ENGLISH.test(text) && WIN32_1789.test(text);
    if (!german && !win32 && !ENGLISH.test(text)) return;
    const exception = EXCEPTION.exec(text)?.[1];
    const data: TrustFailureData = compact({
      source: exception ? 'dotnet' : win32 ? 'win32' : 'message',
      exception,
      language: german ? 'de' : undefined,
    });
    const extent = [line];
    for (let i = index + 1; i < block.lines.length && STACK.test(block.lines[i]!.text.trim()); i++)
      extent.push(block.lines[i]!);
    const code = codeOf(1789, win32 ? '1789' : text.trim(), line.from, 'win32');
    items.push(
      makeItem('trust-failure', [line], data, {
        extent,
        codes: [code],
        lookAlike: lookAlike('host-domain-trust', false),
      }),
    );
    for (const entry of extent) read.push(entry);
  });
  return { items, read };
}
