/**
 * What a paste shows that no probe gathers: errors from the Kubernetes API and the gMSA webhook, the AD PowerShell
 * module, Linux Kerberos tools, a container's netlogon.log, Docker refusing a credential spec, AD objects as
 * cmdlets print them, and failures that only look like gMSA failures. Each observation quotes the lines it rests on.
 */
import { z } from 'zod';

/** A line of the paste: its number (1-based, as pasted) and its text. */
export const pastedLine = z.object({ line: z.number().int().positive(), text: z.string() });
export type PastedLine = z.infer<typeof pastedLine>;

const common = {
  quote: z.array(pastedLine),
  /** The failing status codes on those lines, by name (hex when no table names them). */
  codes: z.array(z.string()),
};

export const webhookCallProblem = z.enum([
  'no-endpoints',
  'x509-unknown-authority',
  'x509',
  'tls',
  'timeout',
  'connection-refused',
  'not-found',
  'other',
]);
export const webhookDenialReason = z.enum([
  'not-authorized',
  'contents-mismatch',
  'name-missing',
  'credspec-not-found',
  'credspec-no-key',
  'credspec-unreadable',
  'cannot-update',
  'other',
]);
export const webhookLogProblem = z.enum([
  'tls-bad-certificate',
  'tls-handshake',
  'no-pem-data',
  'certificate',
  'other',
]);
export const kubectlProblem = z.enum([
  'no-matches-for-kind',
  'missing-required-field',
  'invalid-value',
  'forbidden',
  'not-found',
  'other',
]);
export const powerShellProblem = z.enum([
  'access-denied',
  'server-down',
  'not-found',
  'invalid-parameter',
  'not-recognized',
  'other',
]);
export const kerberosClientProblem = z.enum([
  'principal-unknown',
  'etype-nosupp',
  'client-revoked',
  'preauth-failed',
  'clock-skew',
  'kdc-unreachable',
  'other',
]);
export const credspecRefusal = z.enum([
  'file-unreadable',
  'file-path-absolute',
  'file-path-outside',
  'registry-key-unreadable',
  'registry-value-missing',
  'invalid-option',
  'no-equals-sign',
  'unsupported-option',
  'invalid-security-opt',
]);
export const lookAlikeId = z.enum([
  'image-host-mismatch',
  'hcn-networking',
  'directory-name-invalid',
  'hcs-container-exited',
  'hostprocess-token-path',
  'host-domain-trust',
  'host-kerberos-etype',
  'remoting-second-hop',
  'container-user-unsupported',
]);

export const pastedObservation = z.discriminatedUnion('kind', [
  /** The API server calling the gMSA admission webhook failed (no endpoints, TLS, timeout). */
  z.object({
    kind: z.literal('webhook-call'),
    webhook: z.string(),
    gmsaWebhook: z.boolean(),
    problem: webhookCallProblem,
    service: z.string().optional(),
    url: z.string().optional(),
    detail: z.string(),
    ...common,
  }),
  /** The gMSA webhook denied a pod. */
  z.object({
    kind: z.literal('webhook-denial'),
    webhook: z.string(),
    gmsaWebhook: z.boolean(),
    reason: webhookDenialReason,
    serviceAccount: z.string().optional(),
    credspec: z.string().optional(),
    /** pod, container or initContainer, and its name. */
    resourceKind: z.string().optional(),
    resource: z.string().optional(),
    message: z.string(),
    ...common,
  }),
  /** The webhook's own log, or its deploy script: TLS and certificate trouble. */
  z.object({
    kind: z.literal('webhook-log'),
    problem: z.union([webhookLogProblem, z.literal('certificate-not-issued')]),
    message: z.string(),
    ...common,
  }),
  /** A CertificateSigningRequest as `kubectl get csr` lists it (the webhook's serving certificate). */
  z.object({
    kind: z.literal('csr'),
    name: z.string(),
    signerName: z.string().optional(),
    condition: z.string(),
    ...common,
  }),
  /** kubectl refused what it was asked to apply or read. */
  z.object({
    kind: z.literal('kubectl-error'),
    problem: kubectlProblem,
    resourceKind: z.string().optional(),
    apiVersion: z.string().optional(),
    field: z.string().optional(),
    message: z.string(),
    ...common,
  }),
  /** An error record of an AD PowerShell cmdlet (Install-ADServiceAccount, Get-ADServiceAccount...). */
  z.object({
    kind: z.literal('ad-cmdlet-error'),
    cmdlet: z.string(),
    problem: powerShellProblem,
    /** The remote session it ran in (`PSComputerName`), when it ran in one. */
    computerName: z.string().optional(),
    message: z.string(),
    ...common,
  }),
  /** A Kerberos client error printed on Linux (kinit, sssd, gmsad, credentials-fetcher). */
  z.object({
    kind: z.literal('kerberos-client-error'),
    tool: z.string(),
    problem: kerberosClientProblem,
    principal: z.string().optional(),
    message: z.string(),
    ...common,
  }),
  /** credentials-fetcher (Amazon ECS/EKS Linux) reporting a ticket or lease. */
  z.object({
    kind: z.literal('credentials-fetcher'),
    outcome: z.enum(['ticket-created', 'ticket-deleted', 'lease-added', 'lease-deleted', 'failed']),
    account: z.string().optional(),
    message: z.string(),
    ...common,
  }),
  /** A line of netlogon.log (C:\Windows\debug\netlogon.log). */
  z.object({
    kind: z.literal('netlogon-log'),
    event: z.enum([
      'connection-status',
      'session-setup-failed',
      'dc-found',
      'connection-changed',
      'dsgetdcname',
      'error',
    ]),
    domain: z.string().optional(),
    dc: z.string().optional(),
    /** The NTSTATUS the line reports, by name. */
    status: z.string().optional(),
    text: z.string(),
    ...common,
  }),
  /** The Docker daemon refused the credential spec option or could not read the spec. */
  z.object({
    kind: z.literal('credspec-refused'),
    problem: credspecRefusal,
    file: z.string().optional(),
    container: z.string().optional(),
    reason: z.string().optional(),
    ...common,
  }),
  /** An AD object as Get-ADServiceAccount, Get-ADComputer or Get-ADDomain print it. */
  z.object({
    kind: z.literal('ad-object'),
    objectType: z.enum(['domain', 'service-account', 'computer', 'user', 'unknown']),
    cmdlet: z.string().optional(),
    name: z.string().optional(),
    enabled: z.boolean().optional(),
    principalsAllowedToRetrieveManagedPassword: z.array(z.string()).optional(),
    ...common,
  }),
  /** A failure users paste into gMSA threads that is not a gMSA failure. */
  z.object({
    kind: z.literal('look-alike'),
    id: lookAlikeId,
    what: z.string(),
    /** False when the same text can be a gMSA symptom in another context. */
    certain: z.boolean(),
    or: z.array(lookAlikeId).optional(),
    ...common,
  }),
]);
export type PastedObservation = z.infer<typeof pastedObservation>;
export type PastedObservationOf<K extends PastedObservation['kind']> = Extract<PastedObservation, { kind: K }>;

export const pastedObservations = z.array(pastedObservation);
