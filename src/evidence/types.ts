/**
 * What the recognisers of pasted evidence yield: items, each resting on lines of the paste (original line numbers,
 * 1-based), with typed data per kind. Pure data, JSON-serialisable, so the item-to-fact mapping can live elsewhere.
 */
import type { DockerInfo } from '../facts/docker.js';
import type { ContainerFacts, InspectProblem } from '../facts/docker.js';
import type { KlistError, KlistTicket } from '../protocol/parsers/klist.js';
import type { NltestDc, NltestStatus, NltestTrust } from '../protocol/parsers/nltest.js';
import type { AdDomain } from '../protocol/parsers/powershell.js';
import type { RegKey } from '../protocol/parsers/reg.js';
import type { StatusKind } from '../protocol/status/index.js';

/** A range of original lines, both ends included. */
export interface LineSpan {
  from: number;
  to: number;
}

/** One line as the recognisers read it (markup removed, wrapped lines joined), with the original lines it came from. */
export interface QuotedLine extends LineSpan {
  text: string;
}

/** A status code found in an item's lines, decoded (the most likely reading first). */
export interface EvidenceCode {
  /** As written, e.g. `winapi error #3489661022`, `(0x52e)`, `Status = 1311 0x51f ERROR_NO_LOGON_SERVERS`. */
  match: string;
  /** uint32 */
  value: number;
  hex: string;
  kind: StatusKind;
  name?: string;
  /** The header's message text. */
  text?: string;
  /** What it means for a gMSA container. */
  meaning?: string;
  /** False for success values (NERR_Success, STATUS_SUCCESS). */
  failing: boolean;
  /** The original line it is on. */
  line: number;
}

/** Ids of the look-alikes: failures users paste into gMSA threads that are not gMSA failures (CAUSES.md `not-gmsa:*`). */
export type LookAlikeId =
  | 'image-host-mismatch'
  | 'hcn-networking'
  | 'directory-name-invalid'
  | 'hcs-container-exited'
  | 'hostprocess-token-path'
  | 'host-domain-trust'
  | 'host-kerberos-etype'
  | 'remoting-second-hop'
  | 'container-user-unsupported';

export interface LookAlike {
  id: LookAlikeId;
  /** What it is instead, in a sentence a user can act on. */
  what: string;
  /** Other look-alikes the same text is known to come from (attach namespace: image mismatch or CNI configuration). */
  or?: LookAlikeId[];
  /** False when the text can also be a gMSA symptom in another context (a trust failure inside a gMSA container). */
  certain: boolean;
}

export interface NltestData {
  subcommand:
    | 'sc_verify'
    | 'sc_query'
    | 'sc_reset'
    | 'sc_change_pwd'
    | 'query'
    | 'parentdomain'
    | 'dsgetdc'
    | 'dclist'
    | 'domain_trusts'
    | 'dcname'
    | 'unknown';
  /** The domain after the colon (`/sc_verify:contoso.com`), when the command was pasted. */
  argument?: string;
  flags?: { value: string; names: string[] };
  trustedDcName?: string;
  connectionStatus?: NltestStatus;
  trustVerificationStatus?: NltestStatus;
  failure?: { operation: string; status: NltestStatus };
  dsgetdc?: Record<string, string>;
  parentDomain?: string;
  dcList?: { domain?: string; from?: string; dcs: NltestDc[] };
  trusts?: NltestTrust[];
  statuses: NltestStatus[];
  error?: NltestStatus;
  ok: boolean;
  /** nltest printed "The command completed successfully" (it does after a failed status too). */
  completedLine: boolean;
  /** The output lines read, as one text (normalised: markup removed, wrapped lines joined): a command capture's stdout. */
  output: string;
}

export interface KlistData {
  subcommand: 'tickets' | 'tgt' | 'get' | 'purge' | 'sessions' | 'query_bind' | 'other';
  /** The SPN or principal of `klist get`. */
  target?: string;
  logonId?: string;
  retrieved: boolean;
  cachedTickets?: number;
  tickets: KlistTicket[];
  error?: KlistError;
  /** The output lines read, as one text (normalised: markup removed, wrapped lines joined): a command capture's stdout. */
  output: string;
}

export interface WhoamiData {
  user?: string;
  sid?: string;
  upn?: string;
  groups: { name: string; type: string; sid: string; attributes: string }[];
  /** The container's built-in users (User Manager\ContainerAdministrator, ContainerUser): no gMSA identity was given. */
  containerDefaultUser: boolean;
  /** The output lines read, as one text (normalised: markup removed, wrapped lines joined): a command capture's stdout. */
  output: string;
}

export interface NetConfigWorkstationData {
  computerName?: string;
  fullComputerName?: string;
  userName?: string;
  workstationDomain?: string;
  workstationDomainDnsName?: string;
  logonDomain?: string;
  /** The output lines read, as one text (normalised: markup removed, wrapped lines joined): a command capture's stdout. */
  output: string;
}

export interface TestAdServiceAccountData {
  identity?: string;
  result?: boolean;
  warning?: string;
  error?: string;
  moduleMissing: boolean;
  /** The output lines read, as one text (normalised: markup removed, wrapped lines joined): a command capture's stdout. */
  output: string;
}

export type PowerShellProblem =
  'access-denied' | 'server-down' | 'not-found' | 'invalid-parameter' | 'not-recognized' | 'other';

export interface PowerShellErrorData {
  /** What the record names before " : " (a cmdlet, a script, a native program such as docker or nltest). */
  source: string;
  message: string;
  /** `+ CategoryInfo : ResourceUnavailable: (:) [Install-ADServiceAccount], ADServerDownException` */
  category?: string;
  /** The exception type at the end of CategoryInfo, e.g. ADServerDownException, ADException, RemoteException. */
  reason?: string;
  fullyQualifiedErrorId?: string;
  /** `+ PSComputerName : testsrv`: the command ran in a remote session. */
  computerName?: string;
  /** A native program's stderr turned into an error record (NativeCommandError). */
  nativeCommand: boolean;
  /** Raised by the ActiveDirectory module (Microsoft.ActiveDirectory.Management). */
  adModule: boolean;
  problem: PowerShellProblem;
}

export interface HcsErrorData {
  /** hcsshim, hcs (containerd's shim), hcn (host networking), hns (an HNS error record), system-call (only the HCS text). */
  api: 'hcsshim' | 'hcs' | 'hcn' | 'hns' | 'system-call';
  /** CreateComputeSystem, System::Start, PrepareLayer, CreateProcess, hcnCreateNetwork, ... */
  operation?: string;
  /** The container id or name the operation was about. */
  target?: string;
  /** Windows' text for the failure, e.g. "The requested operation for attach namespace failed." */
  message: string;
  /** Who printed it: the Docker daemon, containerd, the kubelet. */
  via?: 'docker' | 'containerd' | 'kubelet';
}

export interface DockerDaemonErrorData {
  message: string;
}

export type CredspecErrorProblem =
  | 'file-unreadable'
  | 'file-path-absolute'
  | 'file-path-outside'
  | 'registry-key-unreadable'
  | 'registry-value-missing'
  | 'invalid-option'
  | 'no-equals-sign'
  | 'unsupported-option'
  | 'invalid-security-opt';

export interface CredspecErrorData {
  problem: CredspecErrorProblem;
  /** The credential spec file (as the daemon resolved it) or registry value name. */
  file?: string;
  container?: string;
  /** The OS error, e.g. "The system cannot find the file specified." */
  reason?: string;
  option?: string;
}

export interface K8sEventData {
  type?: string;
  reason: string;
  age?: string;
  from?: string;
  message: string;
}

export type WebhookCallProblem =
  'no-endpoints' | 'x509-unknown-authority' | 'x509' | 'tls' | 'timeout' | 'connection-refused' | 'not-found' | 'other';

export interface WebhookCallErrorData {
  webhook: string;
  /** The windows-gmsa webhook (admission-webhook.windows-gmsa.sigs.k8s.io). */
  gmsaWebhook: boolean;
  url?: string;
  service?: string;
  problem: WebhookCallProblem;
  detail: string;
}

export type WebhookDenialReason =
  | 'not-authorized'
  | 'contents-mismatch'
  | 'name-missing'
  | 'credspec-not-found'
  | 'credspec-no-key'
  | 'credspec-unreadable'
  | 'cannot-update'
  | 'other';

export interface WebhookDenialData {
  webhook: string;
  gmsaWebhook: boolean;
  reason: WebhookDenialReason;
  serviceAccount?: string;
  credspec?: string;
  /** pod, container or initContainer, and its name. */
  resourceKind?: string;
  resource?: string;
  message: string;
}

export interface WebhookLogData {
  problem: 'tls-bad-certificate' | 'tls-handshake' | 'no-pem-data' | 'certificate' | 'other';
  message: string;
  /** The client address of a TLS handshake error (the API server). */
  peer?: string;
}

export interface WebhookDeployData {
  problem: 'certificate-not-issued' | 'other';
  csr?: string;
  message: string;
}

export interface K8sCsrData {
  name: string;
  age?: string;
  signerName?: string;
  requestor?: string;
  condition: string;
}

export type KubectlProblem =
  'no-matches-for-kind' | 'missing-required-field' | 'invalid-value' | 'forbidden' | 'not-found' | 'other';

export interface KubectlErrorData {
  problem: KubectlProblem;
  /** The kind named, e.g. GMSACredentialSpec, CertificateSigningRequest. */
  kind?: string;
  apiVersion?: string;
  field?: string;
  value?: string;
  /** The file (or STDIN) kubectl was reading. */
  source?: string;
  message: string;
}

export interface WindowsEventData {
  form:
    | 'message-text'
    | 'event-viewer-text'
    | 'format-list'
    | 'get-eventlog'
    | 'get-winevent-json'
    | 'get-eventlog-json'
    | 'security-text';
  provider?: string;
  eventId?: number;
  channel?: string;
  time?: string;
  machine?: string;
  level?: string;
  message?: string;
  /** The entry of the table of known events it matched (provider and id, or the message text). */
  known?: { key: string; outcome: 'success' | 'failure' | 'info'; meaning: string };
  /** The named parts of the message: gmsa, plugin, error, container, dc, domain, computer, caller... */
  parameters: Record<string, string>;
  /** Security events: the labelled fields, by section ("Failure Information/Status"). */
  fields?: Record<string, string>;
  /** The language of the message when it is not English. */
  language?: 'de';
}

export interface NetlogonLogData {
  /** `MM/DD HH:MM:SS`; absent when the paste replaced or dropped the time. */
  time?: string;
  category: string;
  pid?: number;
  /** The domain the line is about (`DEVMDCOM: NlSessionSetup ...`). */
  domain?: string;
  event: 'connection-status' | 'session-setup-failed' | 'dc-found' | 'connection-changed' | 'dsgetdcname' | 'error';
  /** The NTSTATUS the line sets or reports (c000005e), decoded in the item's codes. */
  status?: string;
  dc?: string;
  text: string;
}

export interface AdObjectData {
  /** The cmdlet that printed it, when the paste shows it. */
  cmdlet?: string;
  objectType: 'domain' | 'service-account' | 'computer' | 'user' | 'unknown';
  fields: Record<string, string>;
  distinguishedName?: string;
  name?: string;
  samAccountName?: string;
  sid?: string;
  objectGuid?: string;
  enabled?: boolean;
  dnsHostName?: string;
  /** Get-ADDomain only. */
  domain?: AdDomain;
  principalsAllowedToRetrieveManagedPassword?: string[];
  hostComputers?: string[];
  servicePrincipalNames?: string[];
}

export interface RegistryData {
  form: 'reg-query' | 'reg-export';
  keys: RegKey[];
  /** CCG plug-in registrations seen, and whether each is where CCG looks (...\Control\CCG\COMClasses). */
  ccgPlugins: { clsid: string; path: string; underControl: boolean }[];
  /** Values under ...\Virtualization\Containers\CredentialSpecs (registry:// credential specs). */
  credentialSpecs: { name: string; type: string }[];
  notFound: boolean;
}

export interface DockerInspectData {
  form: 'document' | 'fragment';
  containers: ContainerFacts[];
  problems: InspectProblem[];
  /** A fragment's keys that were read. */
  fields: string[];
  /** HostConfig.SecurityOpt as pasted: null (none), or the options. */
  securityOpt?: string[] | null;
  credentialSpecOption?: string;
  hostname?: string;
  isolation?: string;
  user?: string;
}

export interface LinuxKerberosData {
  tool: 'kinit' | 'sssd' | 'gmsad' | 'credentials-fetcher' | 'gssapi' | 'other';
  problem:
    | 'principal-unknown'
    | 'etype-nosupp'
    | 'client-revoked'
    | 'preauth-failed'
    | 'clock-skew'
    | 'kdc-unreachable'
    | 'other';
  principal?: string;
  message: string;
}

export interface CredentialsFetcherData {
  outcome: 'ticket-created' | 'ticket-deleted' | 'lease-added' | 'lease-deleted' | 'failed';
  path?: string;
  leaseId?: string;
  /** The gMSA the ticket directory is named after. */
  account?: string;
  message: string;
}

export interface TrustFailureData {
  /** dotnet: a .NET exception; message: the sentence alone; win32: error 1789 printed by a program. */
  source: 'dotnet' | 'message' | 'win32';
  exception?: string;
  language?: 'de';
}

export interface CommandData {
  shell: 'powershell' | 'cmd' | 'posix' | 'none';
  /** The prompt as typed, e.g. `PS C:\Users\x>`; absent for a command without a prompt. */
  prompt?: string;
  /** `[testsrv]: PS C:\>`: a remote PowerShell session. */
  remoteHost?: string;
  text: string;
  /** Lower case, without .exe: nltest, klist, docker, kubectl, get-adservicaccount... */
  program: string;
  args: string;
}

export interface MessageData {
  id: 'hostprocess-token-path' | 'ad-server-down' | 'access-denied';
  text: string;
}

export interface CredentialSpecData {
  /** The JSON as pasted (markup removed), for the credential spec parser. */
  text: string;
  /** The original line the JSON starts on. */
  firstLine: number;
}

export interface StatusLineData {
  text: string;
}

/** The data of each kind of item. */
export interface ItemDataMap {
  command: CommandData;
  nltest: NltestData;
  klist: KlistData;
  whoami: WhoamiData;
  'net-config-workstation': NetConfigWorkstationData;
  'test-adserviceaccount': TestAdServiceAccountData;
  'powershell-error': PowerShellErrorData;
  'hcs-error': HcsErrorData;
  'docker-daemon-error': DockerDaemonErrorData;
  'credspec-error': CredspecErrorData;
  'docker-info': DockerInfo;
  'docker-inspect': DockerInspectData;
  'k8s-event': K8sEventData;
  'webhook-call-error': WebhookCallErrorData;
  'webhook-denial': WebhookDenialData;
  'webhook-log': WebhookLogData;
  'webhook-deploy': WebhookDeployData;
  'k8s-csr': K8sCsrData;
  'kubectl-error': KubectlErrorData;
  'windows-event': WindowsEventData;
  'netlogon-log': NetlogonLogData;
  'ad-object': AdObjectData;
  registry: RegistryData;
  'linux-kerberos': LinuxKerberosData;
  'credentials-fetcher': CredentialsFetcherData;
  'trust-failure': TrustFailureData;
  message: MessageData;
  'credential-spec': CredentialSpecData;
  'status-code': StatusLineData;
}

export type ItemKind = keyof ItemDataMap;

export type EvidenceItemOf<K extends ItemKind> = {
  kind: K;
  /** Every original line the item covers. */
  lines: LineSpan;
  /** The line(s) it rests on. */
  quote: QuotedLine[];
  data: ItemDataMap[K];
  /** Status codes on the quoted lines (and codes the recogniser read elsewhere, such as netlogon.log's c000005e). */
  codes: EvidenceCode[];
  lookAlike?: LookAlike;
};

export type EvidenceItem = { [K in ItemKind]: EvidenceItemOf<K> }[ItemKind];
