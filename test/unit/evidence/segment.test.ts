import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../../src/evidence/normalise.js';
import { programOf, segment } from '../../../src/evidence/segment.js';

const corpus = (name: string): Buffer => readFileSync(new URL(`../../fixtures/evidence/${name}`, import.meta.url));
const blocks = (paste: string | Buffer) =>
  segment(normalise(paste).lines).map((b) => ({
    command: b.command && `${b.command.shell}|${b.command.prompt ?? ''}|${b.command.text}`,
    output: b.lines.map((l) => l.text),
  }));

describe('prompts and commands', () => {
  it.each([
    ['PS C:\\> nltest /query', 'powershell|PS C:\\>|nltest /query'],
    [
      'PS C:\\Users\\bosh_58c8de1962b24e3> Get-ADComputer "WIN-8E8KH04F8SV"',
      'powershell|PS C:\\Users\\bosh_58c8de1962b24e3>|Get-ADComputer "WIN-8E8KH04F8SV"',
    ],
    ['[testsrv]: PS C:\\Users\\admin\\Documents> klist', 'powershell|PS C:\\Users\\admin\\Documents>|klist'],
    ['PS> whoami', 'powershell|PS>|whoami'],
    ['C:\\>nltest /sc_query:contoso.com', 'cmd|C:\\>|nltest /sc_query:contoso.com'],
    [
      '[root@ip-x-x-x-x tests]# ./gmsa_test_client --create',
      'posix|[root@ip-x-x-x-x tests]#|./gmsa_test_client --create',
    ],
    ['user@host:~$ kinit -kt /etc/krb5.keytab', 'posix|user@host:~$|kinit -kt /etc/krb5.keytab'],
    ['$ gmsad', 'posix|$|gmsad'],
    [
      '>kubectl describe daemonset aws-node --namespace kube-system',
      'cmd|>|kubectl describe daemonset aws-node --namespace kube-system',
    ],
    ['Nltest /sc_verify:gmsaping.com', 'none||Nltest /sc_verify:gmsaping.com'],
    [
      "K8S_GMSA_DEPLOY_DOWNLOAD_REV='v0.3.0' ./deploy-gmsa-webhook.sh --file ./gmsa-manifests",
      "none||K8S_GMSA_DEPLOY_DOWNLOAD_REV='v0.3.0' ./deploy-gmsa-webhook.sh --file ./gmsa-manifests",
    ],
  ])('%s', (line, expected) => {
    expect(blocks(line)[0]?.command).toBe(expected);
  });

  it.each([
    'nltest : I_NetLogonControl failed: Status = 1722 0x6ba RPC_S_SERVER_UNAVAILABLE',
    'klist failed with 0xc0000022/-1073741790: {Access Denied}',
    'Install-ADServiceAccount : Cannot install service account.',
    'docker : C:\\Program Files\\Docker\\docker.exe: Error response from daemon: x',
    'Docker Root Dir: C:\\ProgramData\\Docker',
    '# Events',
    'PS I tried > this',
    'The command completed successfully',
  ])('output, not a command: %s', (line) => {
    expect(blocks(line)[0]?.command).toBeUndefined();
  });

  it('names the program: path, .exe and environment assignments removed, lower case', () => {
    expect(programOf('C:\\Windows\\System32\\nltest.exe /query')).toEqual({ program: 'nltest', args: '/query' });
    expect(programOf("K8S_GMSA_DEPLOY_DOWNLOAD_REV='v0.3.0' ./deploy-gmsa-webhook.sh --overwrite")).toEqual({
      program: 'deploy-gmsa-webhook.sh',
      args: '--overwrite',
    });
    expect(programOf('"C:\\Program Files\\Docker\\docker.exe" info')).toEqual({ program: 'docker', args: 'info' });
  });
});

describe('blocks', () => {
  it('gives each command of a transcript its own output (xiaoping8385/TKGi-GMSA)', () => {
    expect(
      blocks(corpus('xiaoping8385-TKGi-GMSA__operation-log__whoami-nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt')),
    ).toEqual([
      { command: 'powershell|PS C:\\>|whoami', output: ['user manager\\containeradministrator'] },
      {
        command: 'powershell|PS C:\\>|nltest.exe /query',
        output: [
          'Flags: 0',
          'Connection Status = 1786 0x6fa ERROR_NO_TRUST_LSA_SECRET',
          'The command completed successfully',
        ],
      },
      {
        command: 'powershell|PS C:\\>|nltest /sc_reset:gmsaping.com',
        output: ['I_NetLogonControl failed: Status = 1786 0x6fa ERROR_NO_TRUST_LSA_SECRET'],
      },
      { command: undefined, output: [] },
    ]);
  });

  it('keeps commands typed one after another without output apart (rapid7/metasploit-framework#20401)', () => {
    const found = blocks(corpus('rapid7-metasploit-framework-20401__Install-ADServiceAccount-access-denied.txt'));
    expect(found.map((b) => b.command)).toEqual([
      'powershell|PS C:\\Users\\Administrator>|Set-ADServiceAccount -Identity "Jabberwock" -PrincipalsAllowedToRetrieveManagedPassword "$env:COMPUTERNAME$"',
      'powershell|PS C:\\Users\\Administrator>|Set-ADServiceAccount -Identity "Jabberwock" -PrincipalsAllowedToRetrieveManagedPassword "$env:USERNAME"',
      'powershell|PS C:\\Users\\Administrator>|Install-ADServiceAccount -Identity "Jabberwock"',
    ]);
    expect(found[0]?.output).toEqual([]);
    expect(found[2]?.output[0]).toMatch(/^Install-ADServiceAccount : Cannot install service account/);
  });

  it('reads known commands pasted without a prompt, between blank lines (macsux/kerberos-buildpack NOTES)', () => {
    const found = blocks(corpus('macsux-kerberos-buildpack__NOTES__reg-query-CCG-COMClasses-AKV-plugin.txt'));
    expect(found.map((b) => b.command?.split('|')[2]?.slice(0, 9))).toEqual([
      'reg query',
      'reg query',
      'reg query',
      'reg query',
      'reg expor',
      'reg expor',
      'reg expor',
    ]);
    expect(found[3]?.output).toContain(
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{CCC2A336-D7F3-4818-A213-272B7924213E}',
    );
  });

  it('reads a PowerShell command continued with a backtick or on `>>` lines as one command', () => {
    expect(
      blocks('PS C:\\> docker run --name x `\n>> --security-opt "credentialspec=file://a.json" `\n>> image\nout'),
    ).toEqual([
      {
        command: 'powershell|PS C:\\>|docker run --name x --security-opt "credentialspec=file://a.json" image',
        output: ['out'],
      },
    ]);
  });

  it('takes the kubectl command a Kubernetes e2e log says it ran, and its quoted output as output', () => {
    const [first] = blocks(
      corpus('kubernetes-kubernetes-99862__e2e-log-nltest-query-ERROR_NO_LOGON_SERVERS-escaped.txt'),
    );
    expect(first?.command).toMatch(
      /^none\|\|\/home\/prow\/.*\/kubectl --server=.* exec --namespace=gmsa-full-test-windows-434 pod-with-gmsa nltest \/QUERY$/,
    );
    expect(first?.output).toContain('Connection Status = 1311 0x51f ERROR_NO_LOGON_SERVERS');
  });

  it('makes text without prompts one block', () => {
    expect(
      blocks('Container Credential Guard instantiated the plugin: {3C0BED28-38FC-42A9-A6AC-967A4839DF61}\nmore'),
    ).toEqual([
      {
        command: undefined,
        output: ['Container Credential Guard instantiated the plugin: {3C0BED28-38FC-42A9-A6AC-967A4839DF61}', 'more'],
      },
    ]);
  });
});
