/**
 * PowerShell error records, as the console prints them (the normaliser has joined their wrapped message):
 *
 *   Install-ADServiceAccount : Cannot install service account. Error Message: '{Access Denied} ...'.
 *   At line:1 char:1
 *   + Install-ADServiceAccount -Identity "Jabberwock"
 *   + ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
 *       + CategoryInfo          : WriteError: (Jabberwock:String) [Install-ADServiceAccount], ADException
 *       + FullyQualifiedErrorId : InstallADServiceAccount:PerformOperation:...,Microsoft.ActiveDirectory.Management...
 *
 * A record from a remote session has no `Source :` head and no `At line`, but `+ PSComputerName`. A native
 * program's stderr becomes a NativeCommandError record (`docker : ...`, `nltest : ...`): the record is read here,
 * its message by the program's own recogniser.
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { PowerShellErrorData, PowerShellProblem } from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';
import { lookAlike } from '../lookalikes.js';
import { firstNonBlank } from '../text.js';

const POSITION = /^At (?:line:\d+ char:\d+|.{1,400}:\d+ char:\d+)$/;
const FIELD = /^\+ ([A-Za-z][\w ]{0,40}?) +: ?(.*)$/;
const HEAD = /^((?:[\w.-]{1,100}|[A-Za-z]:\\[^:]{1,300}|\S{1,300}\.ps1)) : (\S.*)$/;
const AD_MODULE = /Microsoft\.ActiveDirectory\.Management|\[\w+-AD\w+\]|\bAD\w*Exception\b/;

function problemOf(message: string, reason: string | undefined): PowerShellProblem {
  const text = `${message} ${reason ?? ''}`;
  if (/\{Access Denied\}|Access is denied|access denied|UnauthorizedAccess/i.test(text)) return 'access-denied';
  if (/Unable to contact the server|ADServerDownException|Active Directory Web Services/i.test(text))
    return 'server-down';
  if (/is not recognized as the name of a cmdlet|CommandNotFoundException/i.test(text)) return 'not-recognized';
  if (/Cannot find an object with identity|IdentityNotFound|ObjectNotFound/i.test(text)) return 'not-found';
  if (/invalid parameter|ArgumentException|ParameterBinding/i.test(text)) return 'invalid-parameter';
  return 'other';
}

/** The record's lines around an `At line` or `+ CategoryInfo` anchor: message, position, `+` lines. */
function recordAt(
  lines: readonly NormalisedLine[],
  anchor: number,
): { message?: NormalisedLine; position: NormalisedLine[]; fields: NormalisedLine[]; end: number } {
  let start = anchor;
  while (start > 0 && start - anchor < 6) {
    const prev = lines[start - 1]!.text.trim();
    if (prev === '' || !(POSITION.test(prev) || prev.startsWith('+ '))) break;
    start--;
  }
  const before = lines[start - 1];
  const message = before && before.text.trim() !== '' && !FIELD.test(before.text.trim()) ? before : undefined;
  const position: NormalisedLine[] = [];
  const fields: NormalisedLine[] = [];
  let end = start;
  for (; end < lines.length; end++) {
    const text = lines[end]!.text.trim();
    if (POSITION.test(text) || (text.startsWith('+ ') && !FIELD.test(text))) position.push(lines[end]!);
    else if (FIELD.test(text)) fields.push(lines[end]!);
    else break;
  }
  return { ...(message ? { message } : {}), position, fields, end };
}

export function recognisePowerShellError(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  const lines = block.lines;
  for (let i = 0; i < lines.length; i++) {
    const lead = firstNonBlank(lines[i]!.text);
    if (lead !== 'A' && lead !== '+') continue;
    const text = lines[i]!.text.trim();
    if (!POSITION.test(text) && !/^\+ (?:CategoryInfo|FullyQualifiedErrorId)\s/.test(text)) continue;
    const record = recordAt(lines, i);
    i = Math.max(i, record.end - 1);
    const fieldValues: Record<string, string> = {};
    for (const f of record.fields) {
      const m = FIELD.exec(f.text.trim());
      if (m?.[1]) fieldValues[m[1].trim()] = (m[2] ?? '').trim();
    }
    if (!record.message && record.fields.length === 0) continue;
    const head = record.message ? HEAD.exec(record.message.text.trim()) : null;
    const category = fieldValues.CategoryInfo;
    const reason = category ? /,\s*([\w.]+)\s*$/.exec(category)?.[1] : undefined;
    const fqid = fieldValues.FullyQualifiedErrorId;
    const message = head?.[2] ?? record.message?.text.trim() ?? '';
    const all = [record.message?.text ?? '', category ?? '', fqid ?? ''].join(' ');
    const data: PowerShellErrorData = {
      // Always there ('' for a record from a remote session, which has no head).
      source: head?.[1] ?? '',
      ...compact({
        message,
        category,
        reason,
        fullyQualifiedErrorId: fqid,
        computerName: fieldValues.PSComputerName,
        nativeCommand: /NativeCommandError/.test(fqid ?? '') || /RemoteException$/.test(category ?? ''),
        adModule: AD_MODULE.test(all),
        problem: problemOf(message, reason),
      }),
    };
    const quote = [
      record.message,
      ...record.fields.filter((f) => /^\+ (?:CategoryInfo|PSComputerName)/.test(f.text.trim())),
    ].filter((l): l is NormalisedLine => !!l);
    const extent = [...(record.message ? [record.message] : []), ...record.position, ...record.fields];
    // ADServerDownException from a remote session: the session could not authenticate onward to the DC.
    const remote = data.problem === 'server-down' && data.computerName !== undefined;
    items.push(
      makeItem('powershell-error', quote, data, {
        extent,
        ...(remote ? { lookAlike: lookAlike('remoting-second-hop', false) } : {}),
      }),
    );
    for (const entry of extent) read.push(entry);
  }
  return { items, read };
}
