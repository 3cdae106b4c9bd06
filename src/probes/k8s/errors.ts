/**
 * Every way a Kubernetes request can fail, as a typed value the caller can turn into a finding ("not checked:
 * needs list on windows.k8s.io/gmsacredentialspecs"), never an exception.
 */
import { permissionName } from './resources.js';

export type K8sErrorKind =
  /** 403: the caller's identity lacks the permission in `permission`. */
  | 'forbidden'
  /** 401: the credentials were refused (expired token, wrong certificate). */
  | 'unauthorized'
  /** 404: no such object, or the server does not serve this group/version/resource (e.g. the CRD is missing). */
  | 'not-found'
  /** 410 without a token to go on: a paged list's continue token expired. */
  | 'expired'
  /** No connection: refused, no route, DNS. */
  | 'unreachable'
  /** No answer within the deadline, or the caller cancelled. */
  | 'timeout'
  /** The server's certificate was not trusted, or the TLS handshake failed. */
  | 'tls'
  /** Another error status from the API (Status object kept in `status`). */
  | 'api'
  /** The answer is not what the API sends (not JSON, too large, too many objects). */
  | 'bad-response'
  /** The kubeconfig or in-cluster configuration cannot be used. */
  | 'config';

/** What the client was doing, in RBAC terms. */
export interface K8sRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** The permission a forbidden request needed; `namespace` absent means cluster-wide. */
export interface K8sPermission {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
}

/** The API's Status object (`kind: Status`), as sent. */
export interface K8sStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface K8sError {
  kind: K8sErrorKind;
  /** One line for a finding: `forbidden: needs list on windows.k8s.io/gmsacredentialspecs (cluster-wide)`. */
  message: string;
  request?: K8sRequest;
  permission?: K8sPermission;
  httpStatus?: number;
  /** The API server's Status, when it sent one. */
  status?: K8sStatus;
  /** The low-level code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE...). */
  code?: string;
}

export type K8sResult<T> = { ok: true; value: T } | { ok: false; error: K8sError };

export const ok = <T>(value: T): K8sResult<T> => ({ ok: true, value });
export const failed = <T = never>(error: K8sError): K8sResult<T> => ({ ok: false, error });

export function describeRequest(request: K8sRequest): string {
  const resource = permissionName(
    request.group,
    request.subresource ? `${request.resource}/${request.subresource}` : request.resource,
  );
  const name = request.name ? ` ${JSON.stringify(request.name)}` : '';
  return `${request.verb} ${resource}${name}${scope(request.namespace)}`;
}

function scope(namespace: string | undefined): string {
  return namespace ? ` in namespace ${JSON.stringify(namespace)}` : ' (cluster-wide)';
}

/** An HTTP error answer (status >= 300) as a typed error. */
export function errorFromResponse(httpStatus: number, body: string, request: K8sRequest, server: string): K8sError {
  const status = parseStatus(body);
  const serverText = status?.message ?? (body.trim().slice(0, 200) || `HTTP ${httpStatus}`);
  const base = { request, httpStatus, ...(status ? { status } : {}) };
  switch (httpStatus) {
    case 403: {
      const permission: K8sPermission = {
        verb: request.verb,
        group: request.group,
        resource: request.subresource ? `${request.resource}/${request.subresource}` : request.resource,
        ...(request.namespace ? { namespace: request.namespace } : {}),
      };
      return {
        ...base,
        kind: 'forbidden',
        permission,
        message: `forbidden: needs ${permission.verb} on ${permissionName(permission.group, permission.resource)}${scope(permission.namespace)}: ${serverText}`,
      };
    }
    case 401:
      return {
        ...base,
        kind: 'unauthorized',
        message: `unauthorized: ${server} refused the credentials of the kubeconfig user (${serverText}); the token or certificate may have expired`,
      };
    case 404:
      return {
        ...base,
        kind: 'not-found',
        // A create names no object, and its 404 is about the namespace (NamespaceLifecycle), not the type.
        message:
          request.name || request.verb === 'create'
            ? `not found: ${describeRequest(request)} (${serverText})`
            : `not found: the server does not serve ${permissionName(request.group, request.resource)} (${serverText}); is the API group or CRD installed?`,
      };
    case 410:
      return { ...base, kind: 'expired', message: `expired: ${describeRequest(request)}: ${serverText}` };
    default:
      return {
        ...base,
        kind: 'api',
        message: `${describeRequest(request)}: HTTP ${httpStatus}${status?.reason ? ` ${status.reason}` : ''}: ${serverText}`,
      };
  }
}

export function parseStatus(body: string): K8sStatus | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && (parsed as K8sStatus).kind === 'Status') return parsed;
  } catch {
    // A plain-text answer such as Go's "404 page not found".
  }
  return undefined;
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH|EPROTO$)/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'EADDRNOTAVAIL',
]);

/** A thrown transport error (node-fetch FetchError, AbortError, TLS) as a typed error. */
export function errorFromException(error: unknown, request: K8sRequest, server: string, timedOut: boolean): K8sError {
  const e = error as { name?: string; code?: string; errno?: string; message?: string; type?: string };
  const code = e.code ?? e.errno;
  // node-fetch wraps the system error as "request to URL failed, reason: ...": the URL is said once already.
  const detail = (e.message ?? String(error)).replace(/^request to \S+ failed, reason: /, '');
  if (e.name === 'AbortError' || e.type === 'aborted') {
    return {
      kind: 'timeout',
      request,
      message: timedOut
        ? `timeout: no answer from ${server} in time (${describeRequest(request)})`
        : `timeout: cancelled (${describeRequest(request)})`,
    };
  }
  if (code && TLS_CODES.test(code)) {
    return {
      kind: 'tls',
      request,
      code,
      message: `tls: ${server}: ${detail} (${code}); the kubeconfig's certificate-authority must be the CA that signed the API server's certificate`,
    };
  }
  if (code && NETWORK_CODES.has(code))
    return { kind: 'unreachable', request, code, message: `unreachable: ${server}: ${detail}` };
  return { kind: 'unreachable', request, ...(code ? { code } : {}), message: `unreachable: ${server}: ${detail}` };
}
