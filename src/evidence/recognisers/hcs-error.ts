/**
 * Host Compute Service errors as Docker, containerd and the kubelet print them:
 *   hcsshim::CreateComputeSystem <id>: winapi error #3489792023.
 *   hcs::CreateComputeSystem <id>: The directory name is invalid.: unknown
 *   container <id> encountered an error during hcs::System::Start: failure in a Windows system call: <text> (0xc0370106)
 *   hcsshim::PrepareLayer failed in Win32: The container image contains a layer with an unrecognized format. (0xc0370112)
 *   hcnCreateNetwork failed in Win32: Invalid JSON document string. (0x803b001b)
 *   {2151350295; onecore\vm\dv\net\hns\...; 327; hostnetsvc.dll; 0; Endpoint is in invalid state; ...}   (an HNS record)
 * The message may be localised (German hosts print `Der virtuelle Computer oder Container wurde unerwartet beendet.`):
 * the frame and the code decide, never the words alone. Several failures are not gMSA failures: see lookAlikeOf.
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { EvidenceCode, HcsErrorData, LookAlike } from '../types.js';
import { codesOn, compact, makeItem, type Recognition } from '../item.js';
import { lookAlike } from '../lookalikes.js';

const SYSTEM_CALL = /^failure in a Windows system call: /;

/** The Windows text of the failure, without the frame's own words. */
function messageOf(text: string | undefined): string {
  return (text ?? '')
    .replace(/: unknown$/, '')
    .replace(SYSTEM_CALL, '')
    .trim();
}

const FORMS: readonly { pattern: RegExp; read: (m: RegExpExecArray) => HcsErrorData }[] = [
  {
    // hcsshim::CreateComputeSystem <id>: <msg> | hcsshim::PrepareLayer failed in Win32: <msg>
    pattern: /hcsshim::([A-Za-z]{2,60}(?:::[A-Za-z]{2,60})?)(?: ([^\s:]{1,200}))?(?: failed in Win32)?: (.+)$/,
    read: (m) => compact({ api: 'hcsshim', operation: m[1], target: m[2], message: messageOf(m[3]) }),
  },
  {
    // container <id> encountered an error during hcs::System::Start: failure in a Windows system call: <msg>
    pattern:
      /(?:container (\S{1,200}) )?encountered an error during (hcs::)?([A-Za-z]{2,60}(?:::[A-Za-z]{2,60})?): (.+)$/,
    read: (m) =>
      compact({ api: m[2] ? 'hcs' : 'system-call', operation: m[3], target: m[1], message: messageOf(m[4]) }),
  },
  {
    // hcs::CreateComputeSystem <id>: <msg>: unknown | hcs::CreateComputeSystem : <msg> | hcs::System::Start: <msg>
    pattern: /hcs::([A-Za-z]{2,60}(?:::[A-Za-z]{2,60})?)(?: ([^\s:]{1,200}))? ?: (.+)$/,
    read: (m) => compact({ api: 'hcs', operation: m[1], target: m[2], message: messageOf(m[3]) }),
  },
  {
    pattern: /\b(hcn[A-Z][A-Za-z]{2,60}) failed in Win32: (.+)$/,
    read: (m) => ({ api: 'hcn', operation: m[1] ?? '', message: messageOf(m[2]) }),
  },
  {
    pattern: /^\{(\d{9,10}); [^;]{0,400}\\hns\\[^;]{0,400}; \d+; [\w.]{1,100}; \d+; ([^;]{1,400});/,
    read: (m) => ({ api: 'hns', operation: 'HNS', message: (m[2] ?? '').trim() }),
  },
  {
    pattern: /failure in a Windows system call: (.+)$/,
    read: (m) => ({ api: 'system-call', message: messageOf(m[1]) }),
  },
];

function via(text: string): HcsErrorData['via'] | undefined {
  if (/failed to create containerd task|failed to create shim|containerd/i.test(text)) return 'containerd';
  if (/rpc error: code =|Failed to create pod sandbox/i.test(text)) return 'kubelet';
  if (/Error response from daemon|\bdocker(?:\.exe)?\b/i.test(text)) return 'docker';
  return undefined;
}

function parse(text: string): HcsErrorData | undefined {
  for (const form of FORMS) {
    const m = form.pattern.exec(text);
    if (m) return form.read(m);
  }
  return undefined;
}

function lookAlikeOf(data: HcsErrorData, codes: readonly EvidenceCode[], text: string): LookAlike | undefined {
  const values = new Set(codes.map((c) => c.value));
  if (/attach namespace failed/i.test(data.message)) return lookAlike('image-host-mismatch', true, ['hcn-networking']);
  if (data.api === 'hcn' || data.api === 'hns' || codes.some((c) => c.kind === 'HCN'))
    return lookAlike('hcn-networking', true);
  if (/The directory name is invalid/i.test(data.message)) return lookAlike('directory-name-invalid', true);
  if (values.has(0xc0370112) || values.has(0x80370112) || values.has(0xc0370101) || values.has(0x80370101))
    return lookAlike('image-host-mismatch', true);
  if (values.has(0xc0370106) || values.has(0x80370106)) return lookAlike('hcs-container-exited', false);
  // CreateProcess as NT AUTHORITY\SYSTEM or NETWORK SERVICE, refused with 0x52e: Windows Server 2016.
  if (/CreateProcess/.test(data.operation ?? '') && values.has(0x52e) && /"User":"NT AUTHORITY\\{1,2}/i.test(text))
    return lookAlike('container-user-unsupported', false);
  return undefined;
}

export function recogniseHcsError(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    const text = line.text;
    if (!/hcs|hcn|Windows system call|encountered an error during|\{\d{9,10};/.test(text)) continue;
    const parsed = parse(text);
    if (!parsed) continue;
    const data = compact({ ...parsed, via: via(text) });
    const codes = codesOn(line);
    const found = lookAlikeOf(data, codes, text);
    items.push(makeItem('hcs-error', [line], data, found ? { lookAlike: found } : {}));
    read.push(line);
  }
  return { items, read };
}
