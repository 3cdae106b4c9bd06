/**
 * What a failing finding is, in two or three words: the headline of the most likely cause. Every error finding has a
 * kind (its own, or its check's `meta.fault`), so the cause line says what failed ("Port blocked: TCP 88 ...",
 * "Certificate untrusted: ...") and never where in the chain it sits ("No domain controller can be found" for a
 * refused bind). One table, so that two checks that see the same fault name it the same way.
 */
export const FAULTS = {
  // finding and reaching a DC
  'dc-not-found': 'No domain controller found',
  'dns-unreachable': 'DNS server unreachable',
  'dns-record-missing': 'DNS record missing',
  'port-blocked': 'Port blocked',
  'dc-unreachable': 'Domain controller unreachable',
  'dc-answer-invalid': 'Unusable answer from the DC',
  'kdc-failed': 'Unusable answer from the KDC',
  'clock-skew': 'Clock skew',
  'tls-failed': 'TLS handshake failed',
  'certificate-untrusted': 'Certificate untrusted',
  'certificate-wrong-name': 'Certificate name mismatch',
  'certificate-expired': 'Certificate expired',
  // reading AD
  'strong-auth-required': 'Strong authentication required',
  'bind-refused': 'Bind refused',
  'kerberos-bind-failed': 'Kerberos bind failed',
  'not-authenticated': 'No usable credentials',
  'ldap-failed': 'LDAP session failed',
  // the gMSA account
  'account-missing': 'Account missing',
  'account-disabled': 'Account disabled',
  'account-not-gmsa': 'Not a gMSA',
  'account-unusable': 'Account unknown to the DC',
  'account-wrong-domain': 'Different domains',
  'account-flag-missing': 'WORKSTATION_TRUST_ACCOUNT missing',
  'spn-conflict': 'SPN conflict',
  'account-no-aes': 'No AES keys',
  // the container host
  'password-access-denied': 'Password retrieval not allowed',
  'membership-unreadable': 'Password ACL unreadable',
  'host-ticket-stale': 'Host ticket predates its group membership',
  'host-not-joined': 'Host not domain-joined',
  'host-wrong-domain': 'Host in another domain',
  'host-secure-channel': 'Secure channel broken',
  'host-no-dc': 'No DC for the host',
  'host-test-failed': 'Test-ADServiceAccount failed',
  'plugin-not-registered': 'CCG plug-in not registered',
  'plugin-not-loaded': 'CCG plug-in not loaded',
  'plugin-no-credentials': 'CCG plug-in got no credentials',
  'plugin-account-denied': 'gMSA password fetch failed',
  'logon-right-missing': 'Logon right not granted',
  // the credential spec
  'credspec-unreadable': 'Credential spec unreadable',
  'credspec-invalid': 'Credential spec invalid',
  'credspec-rejected': 'Credential spec rejected by CCG',
  'plugin-guid-invalid': 'PluginGUID unreadable',
  'credspec-not-found': 'Credential spec not found',
  'security-opt-invalid': 'Invalid credentialspec option',
  'credspec-mismatch': 'Credential spec does not match AD',
  // the container
  'credspec-not-applied': 'Credential spec not applied',
  'container-start-failed': 'Container failed to start',
  'credspec-refused': 'Docker refused the credential spec',
  'container-credentials-failed': 'Container credentials not set up',
  'linux-container': 'Linux container',
  'container-no-dc': 'No DC from the container',
  'container-secure-channel': 'Container secure channel broken',
  'container-no-ticket': 'No Kerberos ticket in the container',
  'hostname-mismatch': 'Hostname is not the gMSA name',
  'gmsa-shared': 'gMSA shared by running containers',
  'hyperv-isolation-unsupported': 'Hyper-V isolation unsupported',
  // Kubernetes: what a scan or `k8s lint` finds, by the link it sits in
  'manifest-unappliable': 'The manifests cannot be applied as they are written',
  'cluster-gmsa-broken': "The cluster's gMSA machinery (CRD or admission webhook) is broken",
  'node-unfit': 'The Windows node cannot run gMSA pods',
  'k8s-credspec-wrong': 'The GMSACredentialSpec is wrong or missing',
  'pod-not-set-up': 'The pod is not set up to use the gMSA',
  'crd-missing': 'GMSACredentialSpec CRD not installed',
  'webhook-unavailable': 'gMSA webhook unavailable',
  'webhook-certificate': "gMSA webhook's certificate unusable",
  'webhook-install-failed': 'gMSA webhook install failed',
  'pod-denied': 'Pod refused by the gMSA webhook',
  // what was given to the tool
  'input-unreadable': 'Input unreadable',
} as const;

export type FaultKind = keyof typeof FAULTS;

export function isFaultKind(value: string): value is FaultKind {
  return Object.hasOwn(FAULTS, value);
}
