import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_LINES, normalise, type NormalisedLine } from '../../../src/evidence/normalise.js';

const corpus = (name: string): Buffer => readFileSync(new URL(`../../fixtures/evidence/${name}`, import.meta.url));
const texts = (lines: NormalisedLine[]): string[] => lines.map((l) => l.text);
/** Each normalised line with the original lines it came from, as `from-to: text`. */
const mapped = (lines: NormalisedLine[]): string[] =>
  lines.map((l) => `${l.from}${l.to !== l.from ? `-${l.to}` : ''}: ${l.text}`);

describe('decoding', () => {
  const text = 'PS C:\\> nltest /query\r\nFlags: 0\r\n';
  const utf16le = Buffer.from(text, 'utf16le');
  const utf16be = Buffer.from(utf16le).swap16();

  it.each([
    ['UTF-8', Buffer.from(text, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'utf-8-bom'],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]), 'utf-16le'],
    ['UTF-16 LE without BOM', utf16le, 'utf-16le'],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]), 'utf-16be'],
    ['UTF-16 BE without BOM', utf16be, 'utf-16be'],
  ])('%s reads as the same two lines', (_name, bytes, encoding) => {
    const n = normalise(bytes);
    expect(n.encoding).toBe(encoding);
    expect(texts(n.lines)).toEqual(['PS C:\\> nltest /query', 'Flags: 0']);
  });

  it('reads bytes that are not UTF-8 leniently instead of failing', () => {
    const n = normalise(Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x00, 0x41, 0x0a, 0x42]));
    expect(n.lines.map((l) => l.from)).toEqual([1, 2]);
    expect(n.lines[1]?.text).toBe('B');
  });

  it('splits CRLF, LF and lone CR, numbering lines as the paste has them', () => {
    expect(mapped(normalise('a\r\nb\nc\rd').lines)).toEqual(['1: a', '2: b', '3: c', '4: d']);
  });
});

describe('markdown markup', () => {
  it('drops code fences of any length and kind, with or without a language, keeping the lines between', () => {
    const paste = [
      '```powershell',
      'PS C:\\> whoami',
      '```',
      '````',
      'nltest /query',
      '````',
      '~~~',
      'klist',
      '~~~',
      '```output',
      'True',
      '```',
    ].join('\n');
    expect(mapped(normalise(paste).lines)).toEqual(['2: PS C:\\> whoami', '5: nltest /query', '8: klist', '11: True']);
  });

  it('reads a fence opened and closed on one line, and a fence closed at the end of its last line', () => {
    expect(
      texts(normalise(corpus('projectcalico-felix-2893__hns-endpoint-invalid-state-2151350295.txt')).lines)[0],
    ).toMatch(/^\{2151350295; .*; 116; \}$/);
    expect(mapped(normalise('```\nFlags: 0\nConnection Status = 0 0x0 NERR_Success```\nafter').lines)).toEqual([
      '2: Flags: 0',
      '3: Connection Status = 0 0x0 NERR_Success',
      '4: after',
    ]);
  });

  it('keeps a fence 4 backticks long open across a line of 3 (microsoft/nav-docker#103)', () => {
    const lines = normalise(corpus('microsoft-nav-docker-103__credential-spec-file-could-not-be-read.txt')).lines;
    expect(lines[0]?.fence).toBe('');
    expect(lines.every((l) => l.from >= 2 && l.to <= 9)).toBe(true);
  });

  it('removes nested quote markers but not a `>` prompt inside a fence', () => {
    expect(texts(normalise('> > nltest /query\n> Flags: 0').lines)).toEqual(['nltest /query', 'Flags: 0']);
    expect(
      texts(
        normalise(corpus('kubernetes-sigs-windows-gmsa-113__describe-daemonset-FailedCreate-webhook.txt')).lines,
      )[0],
    ).toBe('>kubectl describe daemonset aws-node --namespace kube-system');
  });

  it("removes a quoted log's markers and keeps its line numbers (plooploops/windows-containers-AD#7)", () => {
    const lines = normalise(corpus('plooploops-windows-containers-AD-7__netlogon-log-quoted-c000005e.txt')).lines;
    expect(lines[4]).toMatchObject({
      from: 5,
      to: 5,
      quoted: true,
      text: '09/12 20:45:02 [SESSION] [1076] DEVMDCOM: NlSetStatusClientSession: Set connection status to c000005e',
    });
  });

  it('removes emphasis that opens and closes around console text, even across lines, and keeps a redacted name', () => {
    const lines = normalise(
      corpus('MicrosoftDocs-Virtualization-Documentation-1033__docker-run-user-network-service-0x52e-ws2016.txt'),
    ).lines;
    expect(lines[0]?.text).toMatch(/^PS C:\\Users\\sowmyans\.CONTOSO> docker run --security-opt .* powershell$/);
    expect(lines[2]?.text).toMatch(/^docker : C:\\Program Files\\Docker\\docker\.exe: Error response/);
    expect(lines.find((l) => l.text.startsWith('At line'))?.text).toBe('At line:1 char:1');
    const eventLog = normalise(
      corpus('microsoft-Windows-Containers-405__get-eventlog-netlogon-5720-shared-gmsa.txt'),
    ).lines;
    expect(eventLog[1]?.text).toBe('MachineName        : gmsa_**');
  });

  it('unwraps a URL rendered as a link, box borders, inline code around a whole line, and CI timestamps', () => {
    expect(
      texts(
        normalise(corpus('kubernetes-sigs-windows-gmsa-113__describe-daemonset-FailedCreate-webhook.txt')).lines,
      ).at(-1),
    ).toMatch(/Post "https:\/\/gmsa-webhook\.gmsa-webhook\.svc:443\/mutate\?timeout=10s$/);
    expect(
      texts(normalise(corpus('kubernetes-sigs-windows-gmsa-153__webhook-log-tls-bad-certificate.txt')).lines),
    ).toEqual([
      '2024/10/01 04:28:21 http: TLS handshake error from 10.x.x.x:45168: remote error: tls: bad certificate',
    ]);
    expect(
      texts(
        normalise(corpus('kubernetes-sigs-windows-gmsa-49__deploy-script-eks-signed-certificate-did-not-appear.txt'))
          .lines,
      )[2],
    ).toMatch(/^FATAL ERROR: /);
    expect(
      texts(
        normalise(corpus('KostyaSha-yet-another-docker-plugin-274__nltest-sc_verify-RPC_S_SERVER_UNAVAILABLE.txt'))
          .lines,
      ),
    ).toEqual(['powershell.exe : nltest : I_NetLogonControl failed: Status = 1722 0x6ba RPC_S_SERVER_UNAVAILABLE']);
  });

  it('dedents an indented paste paragraph by paragraph, and drops leading and trailing blank lines', () => {
    const lines = normalise(
      corpus('kubernetes-sigs-windows-gmsa-54__deploy-script-csr-kubelet-serving-pending.txt'),
    ).lines;
    expect(lines[0]).toMatchObject({ from: 1, text: './deploy-gmsa-webhook.sh --file rancher-gmsa --overwrite' });
    expect(mapped(normalise('\n\n    a\n      b\n\n  c\n\n').lines)).toEqual(['3: a', '4:   b', '5: ', '6: c']);
  });
});

describe('wrapped lines', () => {
  it("joins a PowerShell error record's message wrapped by the console, with the lines it spans", () => {
    const lines = normalise(
      corpus('MicrosoftDocs-Virtualization-Documentation-1033__docker-run-user-network-service-0x52e-ws2016.txt'),
    ).lines;
    const message = lines.find((l) => l.text.includes('Error response from daemon'))!;
    expect(message).toMatchObject({ from: 3, to: 5 });
    expect(message.text).toContain(
      'encountered an error during CreateProcess: failure in a Windows system call: The user name or password is incorrect. (0x52e)',
    );
    expect(message.text).toContain('"User":"NT AUTHORITY\\\\NETWORK SERVICE"');
  });

  it('joins a record field continued at the buffer width without a space (rapid7/metasploit-framework#20401)', () => {
    const lines = normalise(
      corpus('rapid7-metasploit-framework-20401__Install-ADServiceAccount-access-denied.txt'),
    ).lines;
    expect(lines.find((l) => l.text.includes('FullyQualifiedErrorId'))).toMatchObject({
      from: 11,
      to: 12,
      text: '    + FullyQualifiedErrorId : InstallADServiceAccount:PerformOperation:InstallServiceAcccountFailure,Microsoft.ActiveDirectory.Management.Commands.InstallADServiceAccount',
    });
  });

  it("joins a remote record's message that has no `Source :` head (MicrosoftDocs/windows-powershell-docs#2427)", () => {
    const lines = normalise(
      corpus('MicrosoftDocs-windows-powershell-docs-2427__Install-ADServiceAccount-remote-ADServerDownException.txt'),
    ).lines;
    expect(lines.find((l) => l.text.startsWith('Unable to contact'))).toMatchObject({
      from: 10,
      to: 11,
      text: expect.stringMatching(/Active Directory Web Services running\.$/),
    });
  });

  it('joins an HCS error wrapped at 80 columns (microsoft/navcontainerhelper#4082)', () => {
    expect(
      mapped(
        normalise(corpus('microsoft-navcontainerhelper-4082__hcs-start-0xc0370106-wrapped-resource-limits.txt')).lines,
      ),
    ).toEqual([
      '1-2: hcs::System::Start: failure in a Windows system call: The virtual machine or container exited unexpectedly. (0xc0370106)',
    ]);
  });

  it('does not join an error line that is complete to the line after it', () => {
    expect(
      texts(
        normalise(
          "docker: Error response from daemon: hcsshim::CreateComputeSystem abc: winapi error #3489661022.\nSee 'docker run --help'.",
        ).lines,
      ),
    ).toHaveLength(2);
  });

  it('joins a YAML quoted scalar folded over indented lines (aws-samples/amazon-eks-gmsa#6)', () => {
    expect(
      mapped(normalise(corpus('aws-samples-amazon-eks-gmsa-6__replicaset-webhook-no-endpoints-available.txt')).lines),
    ).toEqual([
      '1-3: message: \'Internal error occurred: failed calling webhook "admission-webhook.windows-gmsa.sigs.k8s.io": Post https://webhook-svc.gmsa.svc:443/mutate?timeout=30s: no endpoints available for service "webhook-svc"\'',
    ]);
  });

  it("expands a quoted stdout holding a command's output into its lines, all on the original line (kubernetes#99862)", () => {
    const lines = normalise(
      corpus('kubernetes-kubernetes-99862__e2e-log-nltest-query-ERROR_NO_LOGON_SERVERS-escaped.txt'),
    ).lines;
    expect(lines.filter((l) => l.expanded).map((l) => `${l.from}: ${l.text}`)).toEqual([
      '3: kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.',
      '4: Flags: 0',
      '4: Connection Status = 1311 0x51f ERROR_NO_LOGON_SERVERS',
      '4: The command completed successfully',
    ]);
  });
});

describe('bounds', () => {
  it(`reads the first ${MAX_LINES} lines of a longer paste and says so`, () => {
    const n = normalise('x\n'.repeat(MAX_LINES + 10));
    expect(n.truncated).toBe(true);
    expect(n.lineCount).toBe(MAX_LINES + 10);
    expect(n.lines.at(-1)?.from).toBe(MAX_LINES);
  });
});
