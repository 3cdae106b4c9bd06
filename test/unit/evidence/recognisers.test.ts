import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recognise } from '../../../src/evidence/recognise.js';
import type { EvidenceItem, EvidenceItemOf, ItemKind } from '../../../src/evidence/types.js';

const fixture = (path: string): Buffer => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));
const corpus = (name: string): Buffer => fixture(`evidence/${name}`);
const sample = (name: string): Buffer => fixture(`evidence-samples/${name}`);

function items<K extends ItemKind>(paste: string | Buffer, kind: K): EvidenceItemOf<K>[] {
  return recognise(paste).items.filter((i) => i.kind === kind) as unknown as EvidenceItemOf<K>[];
}
function one<K extends ItemKind>(paste: string | Buffer, kind: K): EvidenceItemOf<K> {
  const found = items(paste, kind);
  expect(found, `one ${kind} item`).toHaveLength(1);
  return found[0]!;
}
const quoted = (item: EvidenceItem): string[] => item.quote.map((q) => `${q.from}: ${q.text}`);
const failing = (item: EvidenceItem): string[] => item.codes.filter((c) => c.failing).map((c) => c.name ?? c.hex);

describe('nltest', () => {
  it('/sc_verify failing: the status lines decide, though nltest says the command completed successfully', () => {
    const item = one(
      corpus('plooploops-windows-containers-AD-7__nltest-sc_verify-ERROR_NO_TRUST_SAM_ACCOUNT.txt'),
      'nltest',
    );
    expect(item.data).toMatchObject({
      subcommand: 'sc_verify',
      argument: 'MD.COM',
      trustedDcName: '',
      connectionStatus: { code: 1787, name: 'ERROR_NO_TRUST_SAM_ACCOUNT' },
      trustVerificationStatus: { code: 1787 },
      ok: false,
      completedLine: true,
    });
    expect(item.lines).toEqual({ from: 2, to: 6 });
    expect(quoted(item)).toEqual([
      '3: Trusted DC Name',
      '4: Trusted DC Connection Status Status = 1787 0x6fb ERROR_NO_TRUST_SAM_ACCOUNT',
      '5: Trust Verification Status = 1787 0x6fb ERROR_NO_TRUST_SAM_ACCOUNT',
    ]);
    expect(failing(item)).toEqual(['ERROR_NO_TRUST_SAM_ACCOUNT', 'ERROR_NO_TRUST_SAM_ACCOUNT']);
  });

  it('/sc_verify succeeding, without a prompt (xiaoping8385/TKGi-GMSA)', () => {
    const item = one(corpus('xiaoping8385-TKGi-GMSA__operation-log__nltest-sc_verify-success.txt'), 'nltest');
    expect(item.data).toMatchObject({
      subcommand: 'sc_verify',
      ok: true,
      trustedDcName: 'WIN-5DF7THCD7UL.gmsaping.com',
      flags: { value: 'b0', names: ['HAS_IP', 'HAS_TIMESERV'] },
    });
    // The output as a command capture's stdout, for the checks that parse nltest output themselves.
    expect(item.data.output.split('\n')).toEqual([
      'Flags: b0 HAS_IP  HAS_TIMESERV',
      'Trusted DC Name \\\\WIN-5DF7THCD7UL.gmsaping.com',
      'Trusted DC Connection Status Status = 0 0x0 NERR_Success',
      'Trust Verification Status = 0 0x0 NERR_Success',
      'The command completed successfully',
    ]);
    expect(failing(item)).toEqual([]);
  });

  it('/sc_query and /sc_reset', () => {
    const query = one(sample('MicrosoftDocs-SupportArticles__broken-trust-secure-channel-symptoms.txt'), 'nltest');
    expect(query.data).toMatchObject({
      subcommand: 'sc_query',
      argument: 'contoso.com',
      connectionStatus: { code: 5, name: 'ERROR_ACCESS_DENIED' },
      ok: false,
    });
    const reset = one(corpus('kubernetes-website__configure-gmsa__nltest-sc_reset-success.txt'), 'nltest');
    expect(reset.data).toMatchObject({
      subcommand: 'sc_reset',
      argument: 'domain.example',
      trustedDcName: 'dc10.domain.example',
      ok: true,
    });
  });

  it('/query: the connection status, and I_NetLogonControl failures after any prefix', () => {
    const [query, reset] = items(
      corpus('xiaoping8385-TKGi-GMSA__operation-log__whoami-nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt'),
      'nltest',
    );
    expect(query?.data).toMatchObject({
      subcommand: 'query',
      connectionStatus: { code: 1786 },
      completedLine: true,
      ok: false,
    });
    expect(reset?.data).toMatchObject({
      subcommand: 'sc_reset',
      failure: { operation: 'I_NetLogonControl', status: { name: 'ERROR_NO_TRUST_LSA_SECRET' } },
    });
    const ci = one(
      corpus('KostyaSha-yet-another-docker-plugin-274__nltest-sc_verify-RPC_S_SERVER_UNAVAILABLE.txt'),
      'nltest',
    );
    expect(ci.data).toMatchObject({
      subcommand: 'unknown',
      failure: { operation: 'I_NetLogonControl', status: { code: 1722 } },
    });
    expect(ci.lines).toEqual({ from: 2, to: 2 });
  });

  it('/query run by kubectl exec inside a Kubernetes e2e log (its stdout a quoted string)', () => {
    const item = one(
      corpus('kubernetes-kubernetes-99862__e2e-log-nltest-query-ERROR_NO_LOGON_SERVERS-escaped.txt'),
      'nltest',
    );
    expect(item.data).toMatchObject({
      subcommand: 'query',
      connectionStatus: { name: 'ERROR_NO_LOGON_SERVERS' },
      completedLine: true,
    });
    expect(item.lines).toEqual({ from: 4, to: 4 });
  });

  it('/parentdomain, /dclist, /dsgetdc, /domain_trusts', () => {
    const [parent, dclist] = items(
      corpus('MicrosoftDocs-Virtualization-Documentation-523__host-nltest-parentdomain-dclist-success.txt'),
      'nltest',
    );
    expect(parent?.data).toMatchObject({ subcommand: 'parentdomain', parentDomain: 'domain.local', ok: true });
    expect(dclist?.data).toMatchObject({
      subcommand: 'dclist',
      dcList: {
        domain: 'domain.local',
        from: 'DOMAIN-DC.domain.local',
        dcs: [{ name: 'DOMAIN-DC.domain.local', flags: ['PDC', 'DS'], site: 'Default-First-Site-Name' }],
      },
    });
    const failed = one(
      corpus('kubernetes-website__configure-gmsa__kubectl-exec-nltest-parentdomain-RPC_S_SERVER_UNAVAILABLE.txt'),
      'nltest',
    );
    expect(failed.data).toMatchObject({
      subcommand: 'parentdomain',
      failure: { operation: 'Getting parent domain', status: { code: 1722 } },
    });
    const dsgetdc = one(
      corpus('MicrosoftDocs-windows-itpro-docs__windows-10-poc__nltest-dsgetdc-indented.txt'),
      'nltest',
    );
    expect(dsgetdc.data.dsgetdc).toMatchObject({
      DC: '\\\\DC1',
      'Dom Name': 'CONTOSO',
      'Forest Name': 'contoso.com',
      Flags: expect.stringMatching(/^PDC GC DS LDAP KDC/),
    });
    const [trusts] = items(sample('for528-lab-notes__nltest-domain_trusts-dclist-indented-fence.txt'), 'nltest');
    expect(trusts?.data).toMatchObject({
      subcommand: 'domain_trusts',
      ok: true,
      trusts: [
        {
          index: 0,
          netbiosName: 'WHEEL',
          dnsName: 'wheel.co',
          attributes: ['NT 5', 'Forest Tree Root', 'Primary Domain', 'Native'],
        },
      ],
    });
  });
});

describe('klist', () => {
  it('reads a TGT obtained for the gMSA, quoting the retrieval and each ticket', () => {
    const item = one(corpus('xiaoping8385-TKGi-GMSA__operation-log__klist-get-krbtgt-success.txt'), 'klist');
    expect(item.data).toMatchObject({ subcommand: 'get', target: 'krbtgt', retrieved: true, cachedTickets: 2 });
    expect(item.data.tickets[0]).toMatchObject({
      client: 'WebApp01$@GMSAPING.COM',
      server: 'krbtgt/GMSAPING.COM@GMSAPING.COM',
      kdcCalled: 'WIN-5DF7THCD7UL.gmsaping.com',
    });
    expect(quoted(item).slice(0, 2)).toEqual([
      '4: A ticket to krbtgt has been retrieved successfully.',
      '6: Cached Tickets: (2)',
    ]);
  });

  it('reads `klist failed with 0x...` and the text under it', () => {
    const item = one(
      corpus('microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt'),
      'klist',
    );
    expect(item.data.error).toMatchObject({ code: '0xc0000022', name: 'STATUS_ACCESS_DENIED' });
    expect(item.lines).toEqual({ from: 10, to: 14 });
    expect(failing(item)).toContain('STATUS_ACCESS_DENIED');
  });
});

describe('whoami and net config workstation', () => {
  it('whoami: the container default user means no gMSA identity', () => {
    const item = one(
      corpus('xiaoping8385-TKGi-GMSA__operation-log__whoami-nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt'),
      'whoami',
    );
    expect(item.data).toEqual({
      user: 'user manager\\containeradministrator',
      groups: [],
      containerDefaultUser: true,
      output: 'user manager\\containeradministrator',
    });
    expect(item.lines).toEqual({ from: 2, to: 2 });
  });

  it('whoami /user /groups: the tables, after a bare `>` prompt in a console fence', () => {
    const item = one(sample('moby-buildkit-5791__whoami-user-groups-containeruser.txt'), 'whoami');
    expect(item.data).toMatchObject({
      user: 'user manager\\containeruser',
      sid: 'S-1-5-93-2-2',
      containerDefaultUser: true,
    });
    expect(item.data.groups).toHaveLength(6);
    expect(item.data.groups[1]).toEqual({
      name: 'Everyone',
      type: 'Well-known group',
      sid: 'S-1-1-0',
      attributes: 'Mandatory group, Enabled by default, Enabled group',
    });
  });

  it('net config workstation in a gMSA container: the gMSA as user, the domains', () => {
    const paste = sample('plooploops-windows-containers-AD-7__sc_verify-net-config-workstation-klist-get.txt');
    const item = one(paste, 'net-config-workstation');
    expect(item.data).toEqual({
      computerName: 'containerwp',
      fullComputerName: 'containerwp.dev.md.com',
      userName: 'containerwp$',
      workstationDomain: 'DEVMDCOM',
      workstationDomainDnsName: 'dev.md.com',
      logonDomain: 'DEVMDCOM',
      output: expect.stringMatching(/^Computer name {24}\\\\containerwp\n.*\nThe command completed successfully\.$/s),
    });
    // The same paste: sc_verify fails while a TGT for the gMSA is obtained.
    expect(one(paste, 'nltest').data.error?.name).toBe('ERROR_NO_TRUST_SAM_ACCOUNT');
    expect(one(paste, 'klist').data).toMatchObject({
      retrieved: true,
      tickets: [{ client: 'containerwp$@DEV.MD.COM' }],
    });
  });
});

describe('PowerShell and the AD module', () => {
  it('Test-ADServiceAccount: True after the command, and its warning', () => {
    expect(
      one(
        corpus('Koubek-nav-docker-examples-4__Test-AdServiceAccount-True-german-dc-event-password-retrieved.txt'),
        'test-adserviceaccount',
      ).data,
    ).toEqual({
      identity: 'dockerservice',
      result: true,
      moduleMissing: false,
      output: '-> True',
    });
    const warning = one(
      sample('MicrosoftDocs-windows-powershell-docs-2551__Test-ADServiceAccount-warning.txt'),
      'test-adserviceaccount',
    );
    expect(warning.data).toMatchObject({
      identity: 'gmsaIISTAtlas',
      result: false,
      warning: expect.stringMatching(/^Test failed for Managed Service Account gmsaIISTAtlas\./),
    });
  });

  it('an AD module error record: source, category, exception, problem, and its code from the text', () => {
    const item = one(
      corpus('rapid7-metasploit-framework-20401__Install-ADServiceAccount-access-denied.txt'),
      'powershell-error',
    );
    expect(item.data).toMatchObject({
      source: 'Install-ADServiceAccount',
      reason: 'ADException',
      adModule: true,
      nativeCommand: false,
      problem: 'access-denied',
    });
    expect(item.lines).toEqual({ from: 5, to: 12 });
    expect(failing(item)).toEqual(['STATUS_ACCESS_DENIED']);
  });

  it('ADServerDownException from a remote session is the double hop, not ADWS being down', () => {
    const item = one(
      corpus('MicrosoftDocs-windows-powershell-docs-2427__Install-ADServiceAccount-remote-ADServerDownException.txt'),
      'powershell-error',
    );
    expect(item.data).toMatchObject({
      source: '',
      reason: 'ADServerDownException',
      computerName: 'testsrv',
      problem: 'server-down',
      adModule: true,
    });
    expect(item.lookAlike).toMatchObject({ id: 'remoting-second-hop', certain: false });
  });

  it("a native program's stderr as a NativeCommandError record", () => {
    const item = one(
      corpus('microsoft-nav-docker-103__credential-spec-file-could-not-be-read.txt'),
      'powershell-error',
    );
    expect(item.data).toMatchObject({
      source: 'docker',
      nativeCommand: true,
      adModule: false,
      fullyQualifiedErrorId: 'NativeCommandError',
      reason: 'RemoteException',
    });
  });

  it('Get-ADDomain, Get-ADServiceAccount, Get-ADComputer', () => {
    const domain = one(corpus('xiaoping8385-TKGi-GMSA__operation-log__Get-ADDomain.txt'), 'ad-object');
    expect(domain.data).toMatchObject({
      objectType: 'domain',
      sid: 'S-1-5-21-922537405-2102905723-2121843970',
      objectGuid: 'bae5a583-612f-4e8a-9b69-9df1c5c9b81a',
      domain: {
        dnsRoot: 'gmsaping.com',
        netbiosName: 'GMSAPING',
        domainSid: 'S-1-5-21-922537405-2102905723-2121843970',
      },
    });
    expect(domain.data.fields.SubordinateReferences).toBe(
      '{DC=DomainDnsZones,DC=gmsaping,DC=com, DC=ForestDnsZones,DC=gmsaping,DC=com, CN=Configuration,DC=gmsaping,DC=com}',
    );
    const account = one(
      corpus('MicrosoftDocs-windows-powershell-docs-2259__Get-ADServiceAccount-HostComputers.txt'),
      'ad-object',
    );
    expect(account.data).toMatchObject({
      cmdlet: 'Get-ADServiceAccount',
      objectType: 'service-account',
      enabled: true,
      hostComputers: ['CN=TEST2016-1,CN=Computers,DC=home,DC=lab'],
    });
    const computer = one(corpus('xiaoping8385-TKGi-GMSA__operation-log__Get-ADComputer.txt'), 'ad-object');
    expect(computer.data).toMatchObject({
      objectType: 'computer',
      samAccountName: 'WIN-8E8KH04F8SV$',
      sid: 'S-1-5-21-922537405-2102905723-2121843970-1108',
      enabled: true,
    });
  });
});

describe('container start errors', () => {
  it('hcsshim::CreateComputeSystem with winapi error #N, decoded (microsoft/Windows-Containers#221)', () => {
    const item = one(
      corpus('microsoft-Windows-Containers-221__docker-run-winapi-3489792023-hyperv-compute-11507.txt'),
      'hcs-error',
    );
    expect(item.data).toEqual({
      api: 'hcsshim',
      operation: 'CreateComputeSystem',
      target: 'a7d2856c130510cd6216d18bae4c58744b00c3ceec6f35e7d9ae150c8514a4e5',
      message: 'winapi error #3489792023.',
      via: 'docker',
    });
    expect(item.codes[0]).toMatchObject({
      value: 0xd0020017,
      kind: 'HRESULT_FROM_NT',
      name: 'RPC_NT_SERVER_UNAVAILABLE',
      line: 2,
    });
    expect(item.lookAlike).toBeUndefined();
  });

  it('a localised HCS message: the frame and the code decide (microsoft/Windows-Containers#591, German)', () => {
    const item = one(corpus('microsoft-Windows-Containers-591__hcs-start-0xc0370106-german.txt'), 'hcs-error');
    expect(item.data).toMatchObject({
      api: 'hcs',
      operation: 'System::Start',
      message: 'Der virtuelle Computer oder Container wurde unerwartet beendet. (0xc0370106)',
    });
    expect(failing(item)).toEqual(['ERROR_VMCOMPUTE_UNEXPECTED_EXIT']);
  });

  it.each([
    [
      'Azure-AKS-3627__containerd-task-attach-namespace-failed.txt',
      'image-host-mismatch',
      ['hcn-networking'],
      'containerd',
    ],
    [
      'containerd-containerd-5729__hcsshim-attach-namespace-failed.txt',
      'image-host-mismatch',
      ['hcn-networking'],
      'containerd',
    ],
    ['antrea-io-antrea-2774__containerd-directory-name-invalid.txt', 'directory-name-invalid', undefined, 'containerd'],
    [
      'microsoft-hcsshim-2566__preparelayer-0xc0370112-ltsc2025-on-win11-25h2.txt',
      'image-host-mismatch',
      undefined,
      undefined,
    ],
    ['projectcalico-felix-2893__hns-endpoint-invalid-state-2151350295.txt', 'hcn-networking', undefined, undefined],
    [
      'antrea-io-antrea-1873__kubectl-events-hcnCreateNetwork-invalid-json-0x803b001b.txt',
      'hcn-networking',
      undefined,
      'kubelet',
    ],
    [
      'microsoft-navcontainerhelper-4082__hcs-start-0xc0370106-wrapped-resource-limits.txt',
      'hcs-container-exited',
      undefined,
      undefined,
    ],
    [
      'MicrosoftDocs-Virtualization-Documentation-1033__docker-run-user-network-service-0x52e-ws2016.txt',
      'container-user-unsupported',
      undefined,
      'docker',
    ],
  ])('%s is a look-alike: %s', (file, id, or, via) => {
    const item = one(corpus(file), 'hcs-error');
    expect(item.lookAlike?.id).toBe(id);
    expect(item.lookAlike?.or).toEqual(or);
    expect(item.lookAlike?.what).toMatch(/\S+ \S+ \S+ \S+/);
    expect(item.data.via).toBe(via);
  });

  it('credential spec errors, old and new daemon texts', () => {
    expect(
      one(corpus('microsoft-nav-docker-103__credential-spec-file-could-not-be-read.txt'), 'credspec-error').data,
    ).toEqual({
      problem: 'file-unreadable',
      file: 'C:\\ProgramData\\docker\\CredentialSpecs\\navwithsqlserver.json',
      container: 'f049055f4b3cdb3a59c23225bb16db76b8db8bfc8701b66fd8d7c882c2c6336e',
      reason: 'The system cannot find the file specified',
    });
    const composed = items(sample('composed__docker-credential-spec-errors.txt'), 'credspec-error');
    expect(composed.map((i) => [i.lines.from, i.data.problem, i.data.file])).toEqual([
      [2, 'file-unreadable', 'C:\\ProgramData\\docker\\CredentialSpecs\\webapp01.json'],
      [5, 'file-path-absolute', undefined],
      [8, 'registry-value-missing', 'webapp01'],
      [11, 'invalid-option', undefined],
    ]);
    expect(recognise(sample('composed__docker-credential-spec-errors.txt')).unrecognisedLines).toEqual([]);
  });

  it('a daemon error of another kind', () => {
    const item = one(
      "docker: Error response from daemon: No such container: webapp01.\nSee 'docker run --help'.",
      'docker-daemon-error',
    );
    expect(item.data).toEqual({ message: 'No such container: webapp01.' });
  });
});

describe('docker info and docker inspect', () => {
  it('docker info as text and as JSON give the same facts', () => {
    const text = one(fixture('host/moby-moby-40545__docker-info-windows10-1909.txt'), 'docker-info');
    const json = one(fixture('host/docker-api-info-windows10-1909.json'), 'docker-info');
    expect(text.data).toMatchObject({
      dockerRootDir: 'C:\\ProgramData\\Docker',
      defaultIsolation: 'hyperv',
      build: 18363,
      ubr: 693,
    });
    expect(json.data).toEqual(text.data);
    expect(items(fixture('host/docker-api-info-windows10-1909.json'), 'docker-inspect')).toEqual([]);
  });

  it('a whole docker inspect document', () => {
    const item = one(
      fixture('host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
      'docker-inspect',
    );
    expect(item.data.form).toBe('document');
    expect(item.data.containers[0]).toMatchObject({
      name: 'shared',
      isolation: 'process',
      securityOpt: [],
      hostname: '1be91944c46e',
    });
  });

  it('fragments: SecurityOpt with a credential spec, and null', () => {
    expect(
      one(corpus('docker-compose-7303__docker-inspect-SecurityOpt-credentialspec.txt'), 'docker-inspect').data,
    ).toMatchObject({
      form: 'fragment',
      securityOpt: ['credentialspec=file://dev_gmsa.json'],
      credentialSpecOption: 'credentialspec=file://dev_gmsa.json',
    });
    const none = one(corpus('docker-compose-7303__docker-inspect-SecurityOpt-null.txt'), 'docker-inspect');
    expect(none.data.securityOpt).toBeNull();
    expect(quoted(none)).toEqual(['2: "SecurityOpt": null']);
  });
});

describe('Kubernetes', () => {
  it('kubectl describe events: type, reason, age, source, message', () => {
    const [scheduled, sandbox] = items(
      corpus('antrea-io-antrea-1873__kubectl-events-hcnCreateNetwork-invalid-json-0x803b001b.txt'),
      'k8s-event',
    );
    expect(scheduled?.data).toMatchObject({
      type: 'Normal',
      reason: 'Scheduled',
      age: '57s',
      from: 'default-scheduler',
    });
    expect(sandbox?.data).toMatchObject({
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      from: 'kubelet',
      message: expect.stringMatching(/^Failed to create pod sandbox: /),
    });
    const daemonset = one(
      corpus('kubernetes-sigs-windows-gmsa-113__describe-daemonset-FailedCreate-webhook.txt'),
      'k8s-event',
    );
    expect(daemonset.data).toMatchObject({
      reason: 'FailedCreate',
      age: '8m15s (x85 over 18h)',
      from: 'daemonset-controller',
    });
  });

  it('the API server failing to call the gMSA webhook: no endpoints, an unknown CA', () => {
    expect(
      one(corpus('aws-samples-amazon-eks-gmsa-6__replicaset-webhook-no-endpoints-available.txt'), 'webhook-call-error')
        .data,
    ).toMatchObject({
      webhook: 'admission-webhook.windows-gmsa.sigs.k8s.io',
      gmsaWebhook: true,
      problem: 'no-endpoints',
      service: 'webhook-svc',
      url: 'https://webhook-svc.gmsa.svc:443/mutate?timeout=30s',
    });
    expect(
      one(corpus('kubernetes-sigs-windows-gmsa-54__webhook-x509-unknown-authority.txt'), 'webhook-call-error').data
        .problem,
    ).toBe('x509-unknown-authority');
  });

  it("the windows-gmsa webhook's denials, each with its reason", () => {
    const found = items(sample('composed__windows-gmsa-webhook-denials.txt'), 'webhook-denial');
    expect(found.map((i) => i.data)).toEqual([
      expect.objectContaining({
        reason: 'not-authorized',
        serviceAccount: 'default',
        credspec: 'gmsa-webapp01',
        gmsaWebhook: true,
      }),
      expect.objectContaining({ reason: 'credspec-not-found', credspec: 'i-sure-dont-exist' }),
      expect.objectContaining({
        reason: 'contents-mismatch',
        resourceKind: 'pod',
        resource: 'with-unmatching-contents',
        credspec: 'gmsa-webapp01',
      }),
      expect.objectContaining({ reason: 'name-missing', resourceKind: 'pod', resource: 'with-contents-no-name' }),
      expect.objectContaining({ reason: 'cannot-update', resourceKind: 'pod', resource: 'with-gmsa' }),
    ]);
    expect(items(sample('composed__windows-gmsa-webhook-denials.txt'), 'kubectl-error')).toEqual([]);
  });

  it("the webhook's log: a TLS handshake refused, a secret without PEM data", () => {
    expect(
      one(corpus('kubernetes-sigs-windows-gmsa-153__webhook-log-tls-bad-certificate.txt'), 'webhook-log').data,
    ).toMatchObject({ problem: 'tls-bad-certificate', peer: '10.x.x.x:45168' });
    const panic = recognise(corpus('Azure-AKS-2658__gmsa-webhook-panic-no-PEM-after-cert-rotation.txt'));
    expect(panic.items.map((i) => i.kind)).toEqual(['webhook-log']);
    expect(panic.items[0]?.data).toMatchObject({ problem: 'no-pem-data' });
    expect(panic.unrecognisedLines).toEqual([]);
  });

  it('the deploy script: a CSR never signed, the CSR table, an API version the cluster lacks', () => {
    const paste = corpus('kubernetes-sigs-windows-gmsa-19__deploy-script-signed-certificate-did-not-appear.txt');
    expect(one(paste, 'webhook-deploy').data).toMatchObject({
      problem: 'certificate-not-issued',
      csr: 'gmsa-webhook.gmsa-webhook',
    });
    expect(items(paste, 'k8s-csr').map((i) => i.data.condition)).toEqual(['Pending', 'Approved']);
    expect(
      one(corpus('kubernetes-sigs-windows-gmsa-54__deploy-script-csr-kubelet-serving-pending.txt'), 'k8s-csr').data,
    ).toMatchObject({
      signerName: 'kubernetes.io/kubelet-serving',
      condition: 'Pending',
    });
    expect(
      one(corpus('kubernetes-sigs-windows-gmsa-32__deploy-script-csr-missing-signerName.txt'), 'kubectl-error').data,
    ).toMatchObject({
      problem: 'missing-required-field',
      field: 'CertificateSigningRequest.spec.signerName',
      source: 'STDIN',
    });
  });

  it('kubectl apply: the CRD missing, an invalid name', () => {
    expect(
      one(
        corpus('MicrosoftDocs-azure-docs-94224__kubectl-apply-no-matches-GMSACredentialSpec-v1alpha1.txt'),
        'kubectl-error',
      ).data,
    ).toMatchObject({
      problem: 'no-matches-for-kind',
      kind: 'GMSACredentialSpec',
      apiVersion: 'windows.k8s.io/v1alpha1',
      source: '.kube/gmsa-spec.yaml',
    });
    expect(
      one(sample('composed__kubectl-apply-invalid-gmsacredentialspec-name.txt'), 'kubectl-error').data,
    ).toMatchObject({
      problem: 'invalid-value',
      kind: 'GMSACredentialSpec',
      field: 'metadata.name',
      value: 'gmsa-WebApp1',
    });
  });

  it("a HostProcess pod's token path is a look-alike", () => {
    expect(
      one(corpus('kubernetes-kubernetes-104562__hostprocess-inclusterconfig-token-path-not-found.txt'), 'message')
        .lookAlike?.id,
    ).toBe('hostprocess-token-path');
  });
});

describe('Windows events', () => {
  it('a CCG event as message text: provider, id, meaning, parameters, and the code of its error text', () => {
    const item = one(
      corpus('Azure-AKS-3849__ccg-event-failed-to-fetch-gmsa-credentials-logon-invalid.txt'),
      'windows-event',
    );
    expect(item.data).toMatchObject({
      form: 'message-text',
      provider: 'Microsoft-Windows-Containers-CCG',
      eventId: 8,
      known: { outcome: 'failure' },
      parameters: { gmsa: 'xxx', plugin: '{CCC2A336-D7F3-4818-A213-272B7924213E}' },
    });
    expect(failing(item)).toEqual(['STATUS_LOGON_FAILURE']);
    expect(
      one(fixture('events/microsoft-Windows-Containers-544__CCG-event-plugin-instantiated.txt'), 'windows-event').data,
    ).toMatchObject({ eventId: 1, known: { outcome: 'success' } });
  });

  it('Get-WinEvent | Format-List: Hyper-V-Compute 11507 with its wrapped message', () => {
    const item = one(
      corpus('microsoft-Windows-Containers-221__docker-run-winapi-3489792023-hyperv-compute-11507.txt'),
      'windows-event',
    );
    expect(item.data).toMatchObject({
      form: 'format-list',
      provider: 'Microsoft-Windows-Hyper-V-Compute',
      eventId: 11507,
      parameters: { code: '0xC0020017', error: 'The RPC server is unavailable.' },
    });
    expect(item.lines).toEqual({ from: 7, to: 12 });
    expect(item.quote.find((q) => q.text.startsWith('Message'))).toMatchObject({ from: 10, to: 12 });
    expect(failing(item)).toEqual(['RPC_NT_SERVER_UNAVAILABLE']);
  });

  it('Get-EventLog | Format-List and | ConvertTo-Json: NETLOGON 5720, its status from the event data', () => {
    const list = one(
      corpus('microsoft-Windows-Containers-405__get-eventlog-netlogon-5720-shared-gmsa.txt'),
      'windows-event',
    );
    const json = one(sample('composed__get-eventlog-convertto-json-netlogon-5720.json'), 'windows-event');
    for (const item of [list, json]) {
      expect(item.data).toMatchObject({
        provider: 'NETLOGON',
        eventId: 5720,
        machine: 'gmsa_**',
        level: 'Error',
        parameters: { computer: 'gmsa_**' },
      });
      expect(failing(item)).toEqual(['STATUS_NO_TRUST_LSA_SECRET']);
    }
    expect(list.data.form).toBe('get-eventlog');
    expect(json.data).toMatchObject({ form: 'get-eventlog-json', time: '2024-03-13T10:23:24.000Z' });
  });

  it('Get-WinEvent | ConvertTo-Json (UTF-16 LE): one item per event, each on its own lines', () => {
    const found = items(fixture('events/ccg-admin.get-winevent.json'), 'windows-event');
    expect(found.map((i) => i.data.eventId)).toEqual([9, 3, 4, 6, 1, 8, 8, 8, 7, 2, 1]);
    expect(found[0]?.lines).toEqual({ from: 2, to: 38 });
    expect(found[1]?.lines.from).toBe(39);
  });

  it("Event Viewer text, and a Security event's labelled fields", () => {
    const viewer = one(
      sample('MicrosoftDocs-SupportArticles__broken-trust-secure-channel-symptoms.txt'),
      'windows-event',
    );
    expect(viewer.data).toMatchObject({
      form: 'event-viewer-text',
      provider: 'NETLOGON',
      eventId: 3210,
      channel: 'System',
      parameters: { dc: '\\\\DCName.contoso.com', domain: 'CONTOSO' },
    });
    const security = one(
      corpus('microsoft-service-fabric-issues-1299__security-4625-0xC000015B-logon-type-not-granted.txt'),
      'windows-event',
    );
    expect(security.data).toMatchObject({
      form: 'security-text',
      eventId: 4625,
      parameters: { account: 'gmsa.sf-prod$', logonType: '5', status: '0xC000015B' },
    });
    expect(security.data.fields?.['Failure Information/Failure Reason']).toBe(
      'The user has not been granted the requested logon type at this machine.',
    );
    expect(failing(security)).toEqual(['STATUS_LOGON_TYPE_NOT_GRANTED']);
  });

  it('a DC event in German with the values under its labels', () => {
    const item = one(
      corpus('Koubek-nav-docker-examples-4__Test-AdServiceAccount-True-german-dc-event-password-retrieved.txt'),
      'windows-event',
    );
    expect(item.data).toMatchObject({
      language: 'de',
      known: { outcome: 'success' },
      parameters: {
        gmsa: 'CN=dockerservice,CN=Managed Service Accounts,DC=xxxxxxx,DC=dom',
        callerSid: 'S-1-5-21-2510029043-1448261702-1124101983-4653',
        callerIp: '192.168.152.88:54364',
      },
    });
    expect(item.lines).toEqual({ from: 7, to: 14 });
  });
});

describe('logs and other machines', () => {
  it('netlogon.log: the status set on the secure channel and the DC found', () => {
    const found = items(corpus('plooploops-windows-containers-AD-7__netlogon-log-quoted-c000005e.txt'), 'netlogon-log');
    expect(found.map((i) => [i.lines.from, i.data.event, i.data.status ?? i.data.dc])).toEqual([
      [5, 'connection-status', 'c000005e'],
      [10, 'dc-found', 'DC001'],
      [14, 'connection-changed', 'DC002.DEV.MD.COM'],
    ]);
    expect(found[0]?.data).toMatchObject({ domain: 'DEVMDCOM', pid: 1076, time: '09/12 20:45:02' });
    expect(failing(found[0]!)).toEqual(['STATUS_NO_LOGON_SERVERS']);
    const doc = items(
      sample('MicrosoftDocs-SupportArticles__broken-trust-secure-channel-symptoms.txt'),
      'netlogon-log',
    );
    expect(doc.map((i) => i.data.event)).toEqual([
      'session-setup-failed',
      'session-setup-failed',
      'connection-status',
      'session-setup-failed',
    ]);
    expect(doc[0]?.data.time).toBeUndefined();
  });

  it('registry: a CCG plug-in where CCG looks, and one registered without \\Control\\', () => {
    const [ccg] = items(
      corpus('macsux-kerberos-buildpack__NOTES__reg-query-CCG-COMClasses-AKV-plugin.txt'),
      'registry',
    );
    expect(ccg?.data.ccgPlugins).toEqual([
      {
        clsid: '{CCC2A336-D7F3-4818-A213-272B7924213E}',
        path: 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\{CCC2A336-D7F3-4818-A213-272B7924213E}',
        underControl: true,
      },
    ]);
    const wrong = one(corpus('macsux-kerberos-buildpack__README__reg-CCG-COMClasses-missing-Control.txt'), 'registry');
    expect(wrong.data).toMatchObject({
      form: 'reg-export',
      ccgPlugins: [{ clsid: '{DEFFF03C-3245-465F-8391-CC586A2D1F32}', underControl: false }],
    });
  });

  it('a registry:// credential spec value under CredentialSpecs', () => {
    const paste =
      'Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Virtualization\\Containers\\CredentialSpecs]\n"webapp01"="{\\"CmsPlugins\\":[\\"ActiveDirectory\\"]}"';
    expect(one(paste, 'registry').data.credentialSpecs).toEqual([{ name: 'webapp01', type: 'REG_SZ' }]);
  });

  it('Linux: kinit, SSSD, gmsad', () => {
    expect(one(sample('aws-credentials-fetcher-178__kinit-client-not-found.txt'), 'linux-kerberos').data).toMatchObject(
      {
        tool: 'kinit',
        problem: 'principal-unknown',
        principal: 'EXAMPLE.LOCALEXAMPLE.LOCAL@EXAMPLE.LOCAL',
      },
    );
    const sssd = one(
      corpus('SSSD-sssd-6427__ldap_child-KDC-has-no-support-for-encryption-type-tilde-fence.txt'),
      'linux-kerberos',
    );
    expect(sssd.data).toMatchObject({ tool: 'sssd', problem: 'etype-nosupp' });
    expect(sssd.lookAlike?.id).toBe('host-kerberos-etype');
    const gmsad = one(corpus('cea-sec-gmsad-7__gmsad-KDC_ERR_CLIENT_REVOKED-disabled-gmsa.txt'), 'linux-kerberos');
    expect(gmsad.data).toMatchObject({ tool: 'gmsad', problem: 'client-revoked', principal: 'mygmsa$' });
    expect(failing(gmsad)).toEqual(['KDC_ERR_CLIENT_REVOKED']);
  });

  it('credentials-fetcher: tickets created and deleted, leases', () => {
    const found = items(
      corpus('aws-credentials-fetcher-54__gmsa_test_client-create-success.txt'),
      'credentials-fetcher',
    );
    expect(found.map((i) => i.data.outcome)).toEqual([
      'ticket-created',
      'ticket-created',
      'lease-added',
      'ticket-deleted',
      'ticket-deleted',
      'lease-deleted',
      'ticket-created',
      'ticket-created',
      'lease-added',
    ]);
    expect(found[0]?.data).toMatchObject({ account: 'WebApp01', leaseId: 'cb952dec6fb4175cdbcb' });
  });

  it('the trust relationship failure: .NET, the sentence, German, Win32 1789; a look-alike that may be a gMSA symptom', () => {
    const dotnet = one(
      corpus('dotnet-corefx-27505__Win32Exception-trust-relationship-NTAccount-Translate.txt'),
      'trust-failure',
    );
    expect(dotnet.data).toEqual({ source: 'dotnet', exception: 'System.ComponentModel.Win32Exception' });
    expect(dotnet.lines).toEqual({ from: 6, to: 10 });
    expect(dotnet.lookAlike).toMatchObject({ id: 'host-domain-trust', certain: false });
    expect(one(sample('techsyncer-de__trust-relationship-german.txt'), 'trust-failure').data).toEqual({
      source: 'message',
      language: 'de',
    });
    const win32 = items(
      corpus('PowerShell-Win32-OpenSSH-953__ssh-agent-LookupAccountNameW-1789-quoted.txt'),
      'trust-failure',
    );
    expect(win32).toHaveLength(4);
    expect(failing(win32[0]!)).toEqual(['ERROR_TRUSTED_RELATIONSHIP_FAILURE']);
  });

  it('a failing code on a line nothing else reads', () => {
    const found = recognise('the job ended with 0xc000005e\nall good');
    expect(found.items.map((i) => [i.kind, i.lines.from])).toEqual([['status-code', 1]]);
    expect(failing(found.items[0]!)).toEqual(['STATUS_NO_LOGON_SERVERS']);
    expect(found.unrecognisedLines.map((l) => l.text)).toEqual(['all good']);
  });
});
