/**
 * A read-only Kubernetes API client for the gMSA scan: list (paged), get, LocalSubjectAccessReview, pod logs.
 *
 * Requests go through @kubernetes/client-node's own pipeline (KubeConfig.applySecurityAuthentication for TLS,
 * tokens, exec plugins and client certificates; its fetch-based HttpLibrary), but answers are returned as the JSON
 * the API sent: the generated typed APIs would rename fields (`x-kubernetes-preserve-unknown-fields` becomes
 * `x_kubernetes_preserve_unknown_fields`, `continue` becomes `_continue`), turn timestamps into Dates and drop
 * every field their models do not know, and a CRD's schema is exactly what the scan must see as stored.
 *
 * Every failure is a typed K8sResult error, never a thrown ApiException. Each request has a deadline, all requests
 * share a bounded number of connections. The read-only scan writes nothing: its only POST is the access review,
 * which the API server evaluates and does not store. The two writes, createJob and deleteJob, exist for
 * `gmsa-doctor k8s --nodes` alone (its diagnostic Jobs, after the user agreed), and nothing else calls them.
 */
import { Agent as HttpsAgent } from 'node:https';
import type { AgentOptions } from 'node:https';
import { IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import type { HttpMethod, ResponseContext } from '@kubernetes/client-node';
import { TOOL_NAME, TOOL_VERSION } from '../../tool-info.js';
import type { ClusterTarget } from './config.js';
import type { K8sError, K8sRequest, K8sResult, K8sStatus } from './errors.js';
import { describeRequest, errorFromException, errorFromResponse, failed, ok } from './errors.js';
import type { ResourceName, ResourceType } from './resources.js';
import { groupVersion, resourcePath, resourceType } from './resources.js';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** An object as the API returned it. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface K8sPage {
  /** Each with `apiVersion` and `kind` (the API leaves them out of built-in list items; set here as kubectl does). */
  items: K8sObject[];
  resourceVersion: string;
  /** False once an expired continue token was replaced by the server's "inconsistent" one. */
  consistent: boolean;
}

export interface K8sList extends K8sPage {
  pages: number;
}

export interface ListOptions {
  /** A namespaced type without a namespace is listed across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** `limit` per request; default the client's pageSize. */
  pageSize?: number;
}

export interface AccessReviewRequest {
  /** The review's namespace, which is where RoleBindings count (the pod's namespace for the gMSA webhook). */
  namespace: string;
  user: string;
  groups?: readonly string[];
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
}

/** The review's status, as the API server decided it. */
export interface AccessReview {
  allowed: boolean;
  denied: boolean;
  /** `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to ServiceAccount "sa/ns"`; often empty when not. */
  reason: string;
  evaluationError?: string;
}

export interface PodLogOptions {
  container?: string;
  tailLines?: number;
  /** The API stops after this many bytes; default 1 MiB. */
  limitBytes?: number;
}

export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
  platform?: string;
}

export interface K8sClientOptions {
  /** Deadline of each request (including exec credential plugins), default 15 s. */
  timeoutMs?: number;
  /** Requests in flight at once, default 8. */
  concurrency?: number;
  /** `limit` of each list page, default 500 (kubectl's chunk size). */
  pageSize?: number;
  /** A list stops with a bad-response error past this many objects, default 200,000. */
  maxItems?: number;
  /** Answers larger than this (by Content-Length) are refused, default 64 MiB. */
  maxResponseBytes?: number;
  /** Cancels every request. */
  signal?: AbortSignal;
}

const DEFAULTS = {
  timeoutMs: 15_000,
  concurrency: 8,
  pageSize: 500,
  maxItems: 200_000,
  maxResponseBytes: 64 * 1024 * 1024,
};
const DEFAULT_LOG_BYTES = 1024 * 1024;
/** A list goes on with the server's inconsistent token after this many expired continue tokens, then gives up. */
const MAX_EXPIRATIONS = 3;
/** Kept agents (one per TLS setup: a rotated client certificate makes a new one); the oldest goes past this. */
const MAX_AGENTS = 4;
/** 429 answers (API Priority and Fairness) are retried this often, after their Retry-After. */
const RETRIES_ON_429 = 3;

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export class K8sClient {
  readonly target: ClusterTarget;
  /** Requests sent so far (retries included). */
  requestCount = 0;
  private readonly options: typeof DEFAULTS & { signal?: AbortSignal };
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly slots: Limiter;
  private readonly agents: { options: AgentOptions; agent: HttpsAgent }[] = [];

  constructor(target: ClusterTarget, options: K8sClientOptions = {}) {
    this.target = target;
    this.options = { ...DEFAULTS, ...definedOnly(options) };
    this.slots = new Limiter(Math.max(1, this.options.concurrency));
  }

  async get(ref: ResourceName | ResourceType, name: string, namespace?: string): Promise<K8sResult<K8sObject>> {
    const type = resourceType(ref);
    const request = this.describe(type, 'get', namespace, name);
    if (type.namespaced && !namespace)
      return failed({
        kind: 'api',
        request,
        message: `${describeRequest(request)}: ${type.resource} are namespaced; name the namespace`,
      });
    const answer = await this.send('GET', resourcePath(type, namespace, name), {}, undefined, request);
    return answer.ok ? this.parseObject(answer.value, request, type) : answer;
  }

  /** Every page, collected. For large clusters prefer `pages`, which keeps one page in memory at a time. */
  async list(ref: ResourceName | ResourceType, options: ListOptions = {}): Promise<K8sResult<K8sList>> {
    const items: K8sObject[] = [];
    let resourceVersion = '';
    let consistent = true;
    let pages = 0;
    for await (const page of this.pages(ref, options)) {
      if (!page.ok) return page;
      items.push(...page.value.items);
      resourceVersion ||= page.value.resourceVersion;
      consistent &&= page.value.consistent;
      pages++;
    }
    return ok({ items, resourceVersion, consistent, pages });
  }

  /** Pages of a list, following `metadata.continue`; an error is the last thing yielded. */
  async *pages(ref: ResourceName | ResourceType, options: ListOptions = {}): AsyncGenerator<K8sResult<K8sPage>> {
    const type = resourceType(ref);
    const request = this.describe(type, 'list', options.namespace);
    const path = resourcePath(type, options.namespace);
    const query: Record<string, string> = { limit: String(options.pageSize ?? this.options.pageSize) };
    if (options.labelSelector) query.labelSelector = options.labelSelector;
    if (options.fieldSelector) query.fieldSelector = options.fieldSelector;
    let token: string | undefined;
    let consistent = true;
    let seen = 0;
    let expirations = 0;
    for (;;) {
      const answer = await this.send('GET', path, token ? { ...query, continue: token } : query, undefined, request);
      if (!answer.ok) {
        const next = answer.error.kind === 'expired' ? continueToken(answer.error.status) : undefined;
        if (next && next !== token && ++expirations <= MAX_EXPIRATIONS) {
          // The server offers to go on from where we were, no longer at one snapshot: keep going, say so.
          token = next;
          consistent = false;
          continue;
        }
        yield answer;
        return;
      }
      const page = this.parseList(answer.value, request, type);
      if (!page.ok) {
        yield page;
        return;
      }
      seen += page.value.list.items.length;
      if (seen > this.options.maxItems) {
        yield failed({
          kind: 'bad-response',
          request,
          message: `bad-response: ${describeRequest(request)} returned more than ${this.options.maxItems} objects; narrow it with a namespace or selector`,
        });
        return;
      }
      const next = page.value.continue;
      yield ok({ ...page.value.list, consistent });
      if (!next) return;
      if (next === token) {
        yield failed({
          kind: 'bad-response',
          request,
          message: `bad-response: ${describeRequest(request)}: the server returned the same continue token twice`,
        });
        return;
      }
      token = next;
    }
  }

  /** Several lists at once; the client's concurrency bounds the requests in flight. */
  async listMany<N extends ResourceName>(
    refs: readonly N[],
    options: Omit<ListOptions, 'labelSelector' | 'fieldSelector'> = {},
  ): Promise<Record<N, K8sResult<K8sList>>> {
    const results = await Promise.all(refs.map(async (ref) => [ref, await this.list(ref, options)] as const));
    return Object.fromEntries(results) as Record<N, K8sResult<K8sList>>;
  }

  /**
   * A LocalSubjectAccessReview: "may this user do this in this namespace?", answered by the API server's authorizer
   * (RoleBindings of the namespace included, unlike a cluster-wide SubjectAccessReview).
   */
  async reviewAccess(review: AccessReviewRequest): Promise<K8sResult<AccessReview>> {
    const type: ResourceType = {
      group: 'authorization.k8s.io',
      version: 'v1',
      resource: 'localsubjectaccessreviews',
      kind: 'LocalSubjectAccessReview',
      namespaced: true,
    };
    const request = this.describe(type, 'create', review.namespace);
    const body = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'LocalSubjectAccessReview',
      metadata: { namespace: review.namespace },
      spec: {
        resourceAttributes: {
          namespace: review.namespace,
          verb: review.verb,
          group: review.group,
          resource: review.resource,
          ...(review.subresource ? { subresource: review.subresource } : {}),
          ...(review.name !== undefined ? { name: review.name } : {}),
        },
        user: review.user,
        ...(review.groups ? { groups: [...review.groups] } : {}),
      },
    };
    const answer = await this.send('POST', resourcePath(type, review.namespace), {}, JSON.stringify(body), request);
    if (!answer.ok) return answer;
    const parsed = parseJson(answer.value.text, request);
    if (!parsed.ok) return parsed;
    const status = (parsed.value as { status?: Partial<AccessReview> }).status;
    if (typeof status?.allowed !== 'boolean')
      return failed({
        kind: 'bad-response',
        request,
        message: `bad-response: ${describeRequest(request)}: the answer has no status.allowed`,
      });
    return ok({
      allowed: status.allowed,
      denied: status.denied === true,
      reason: status.reason ?? '',
      ...(status.evaluationError ? { evaluationError: status.evaluationError } : {}),
    });
  }

  /** A container's log (what `kubectl logs` shows), bounded by limitBytes. */
  async podLog(namespace: string, pod: string, options: PodLogOptions = {}): Promise<K8sResult<string>> {
    const type = resourceType('pods');
    const request = { ...this.describe(type, 'get', namespace, pod), subresource: 'log' };
    const query: Record<string, string> = { limitBytes: String(options.limitBytes ?? DEFAULT_LOG_BYTES) };
    if (options.container) query.container = options.container;
    if (options.tailLines !== undefined) query.tailLines = String(options.tailLines);
    const answer = await this.send(
      'GET',
      resourcePath(type, namespace, pod, 'log'),
      query,
      undefined,
      request,
      'text/plain, application/json',
    );
    return answer.ok ? ok(answer.value.text) : answer;
  }

  /**
   * WRITE: creates a Job (`k8s --nodes` only, for its own diagnostic Jobs). Returns the Job as created, with the
   * name the API server generated from metadata.generateName.
   */
  async createJob(namespace: string, job: Record<string, unknown>): Promise<K8sResult<K8sObject>> {
    const type = resourceType('jobs');
    const request = this.describe(type, 'create', namespace);
    const answer = await this.send('POST', resourcePath(type, namespace), {}, JSON.stringify(job), request);
    return answer.ok ? this.parseObject(answer.value, request, type) : answer;
  }

  /**
   * WRITE: deletes a Job and, through the garbage collector, its pods (`k8s --nodes` only, the Jobs it made).
   * propagationPolicy Background: batch/v1 Jobs otherwise orphan their pods. A Job already gone counts as deleted.
   */
  async deleteJob(namespace: string, name: string): Promise<K8sResult<{ existed: boolean }>> {
    const type = resourceType('jobs');
    const request = this.describe(type, 'delete', namespace, name);
    const options = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
    const answer = await this.send('DELETE', resourcePath(type, namespace, name), {}, JSON.stringify(options), request);
    if (answer.ok) return ok({ existed: true });
    return answer.error.kind === 'not-found' ? ok({ existed: false }) : answer;
  }

  /**
   * A GET through the API server's service proxy (`get` on `services/proxy`): what the Service's pods answer at
   * `path`, e.g. the windows-gmsa webhook's `/info`. The API server makes the call, so it works from outside the
   * cluster network; it does not verify the pod's certificate, so nothing is learnt about it here.
   */
  async serviceProxyGet(
    namespace: string,
    service: { name: string; port: number | string; scheme?: 'https' | 'http' },
    path: string,
  ): Promise<K8sResult<string>> {
    const type = resourceType('services');
    const target = `${service.scheme ?? 'https'}:${service.name}:${service.port}`;
    const request = { ...this.describe(type, 'get', namespace, service.name), subresource: 'proxy' };
    const url = `${resourcePath(type, namespace)}/${encodeURIComponent(target).replace(/%3A/g, ':')}/proxy${path}`;
    const answer = await this.send('GET', url, {}, undefined, request);
    return answer.ok ? ok(answer.value.text) : answer;
  }

  async serverVersion(): Promise<K8sResult<ServerVersion>> {
    const request: K8sRequest = { verb: 'get', group: '', resource: 'version' };
    const answer = await this.send('GET', '/version', {}, undefined, request);
    if (!answer.ok) return answer;
    const parsed = parseJson(answer.value.text, request);
    if (!parsed.ok) return parsed;
    const v = parsed.value as Partial<ServerVersion>;
    if (typeof v.gitVersion !== 'string')
      return failed({ kind: 'bad-response', request, message: 'bad-response: /version has no gitVersion' });
    return ok({
      gitVersion: v.gitVersion,
      major: String(v.major ?? ''),
      minor: String(v.minor ?? ''),
      ...(v.platform ? { platform: v.platform } : {}),
    });
  }

  private describe(type: ResourceType, verb: string, namespace?: string, name?: string): K8sRequest {
    return {
      verb,
      group: type.group,
      resource: type.resource,
      ...(type.namespaced && namespace ? { namespace } : {}),
      ...(name !== undefined ? { name } : {}),
    };
  }

  private async send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    query: Record<string, string>,
    body: string | undefined,
    request: K8sRequest,
    accept = 'application/json',
  ): Promise<K8sResult<Answer>> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.slots.run(() => this.sendOnce(method, path, query, body, request, accept));
      if (!answer.ok) return answer;
      const { status, headers, text } = answer.value;
      if (status === 429 && attempt < RETRIES_ON_429) {
        await sleep(retryAfterMs(headers['retry-after']), this.options.signal);
        continue;
      }
      return status >= 300 ? failed(errorFromResponse(status, text, request, this.target.server)) : answer;
    }
  }

  private async sendOnce(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    query: Record<string, string>,
    body: string | undefined,
    request: K8sRequest,
    accept: string,
  ): Promise<K8sResult<Answer>> {
    this.requestCount++;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([deadline.signal, this.options.signal]) : deadline.signal;
    try {
      const context = new RequestContext(`${this.target.server}${path}`, method as HttpMethod);
      for (const [key, value] of Object.entries(query)) context.setQueryParam(key, value);
      context.setHeaderParam('Accept', accept);
      context.setHeaderParam('User-Agent', `${TOOL_NAME}/${TOOL_VERSION}`);
      if (body !== undefined) {
        context.setHeaderParam('Content-Type', 'application/json');
        context.setBody(body);
      }
      const authenticated = await untilAborted(this.target.kubeConfig.applySecurityAuthentication(context), signal);
      if (!authenticated.ok) return failed(this.credentialError(authenticated.error, request, deadline.signal.aborted));
      this.reuseConnections(context);
      context.setSignal(signal);
      const response: ResponseContext = await this.http.send(context).toPromise();
      const length = Number(response.headers['content-length'] ?? 0);
      if (length > this.options.maxResponseBytes) {
        deadline.abort();
        return failed({
          kind: 'bad-response',
          request,
          message: `bad-response: ${describeRequest(request)}: a ${length}-byte answer is over the ${this.options.maxResponseBytes}-byte bound`,
        });
      }
      return ok({ status: response.httpStatusCode, headers: response.headers, text: await response.body.text() });
    } catch (error) {
      return failed(errorFromException(error, request, this.target.server, deadline.signal.aborted));
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * client-node gives every request a new https.Agent, so every request would open a new TLS connection (a scan of a
   * large cluster asks a thousand access reviews): requests with the same TLS setup share one keep-alive agent,
   * its sockets bounded by the concurrency. Proxy agents are left as they are.
   */
  private reuseConnections(context: RequestContext): void {
    const made = context.getAgent();
    if (!made || made.constructor !== HttpsAgent) return;
    const options = (made as HttpsAgent & { options: AgentOptions }).options;
    let kept = this.agents.find((a) => sameTlsSetup(a.options, options));
    if (!kept) {
      kept = { options, agent: new HttpsAgent({ ...options, keepAlive: true, maxSockets: this.options.concurrency }) };
      this.agents.unshift(kept);
      for (const old of this.agents.splice(MAX_AGENTS)) old.agent.destroy();
    }
    context.setAgent(kept.agent);
  }

  /** applySecurityAuthentication failed: an exec plugin, a certificate or token file, or a plain-HTTP server. */
  private credentialError(error: unknown, request: K8sRequest, timedOut: boolean): K8sError {
    if ((error as { name?: string }).name === 'AbortError')
      return errorFromException(error, request, this.target.server, timedOut);
    const detail = ((error as Error).message ?? String(error)).trim().split('\n')[0] ?? '';
    return {
      kind: 'config',
      request,
      message: `config: could not get the credentials of user ${JSON.stringify(this.target.user)} (${this.target.source}): ${detail}`,
    };
  }

  private parseObject(answer: Answer, request: K8sRequest, type: ResourceType): K8sResult<K8sObject> {
    const parsed = parseJson(answer.text, request);
    if (!parsed.ok) return parsed;
    if (!isObject(parsed.value))
      return failed({
        kind: 'bad-response',
        request,
        message: `bad-response: ${describeRequest(request)}: the answer is not an object`,
      });
    return ok(withTypeMeta(parsed.value, type));
  }

  private parseList(
    answer: Answer,
    request: K8sRequest,
    type: ResourceType,
  ): K8sResult<{ list: Omit<K8sPage, 'consistent'>; continue?: string }> {
    const parsed = parseJson(answer.text, request);
    if (!parsed.ok) return parsed;
    const list = parsed.value as { items?: unknown; metadata?: { resourceVersion?: string; continue?: string } };
    if (!isObject(list) || !Array.isArray(list.items))
      return failed({
        kind: 'bad-response',
        request,
        message: `bad-response: ${describeRequest(request)}: the answer is not a list`,
      });
    const items = list.items.filter(isObject).map((item) => withTypeMeta(item, type));
    return ok({
      list: { items, resourceVersion: list.metadata?.resourceVersion ?? '' },
      ...(list.metadata?.continue ? { continue: list.metadata.continue } : {}),
    });
  }
}

function withTypeMeta(item: Record<string, unknown>, type: ResourceType): K8sObject {
  if (typeof item.kind === 'string' && typeof item.apiVersion === 'string') return item;
  return { apiVersion: groupVersion(type), kind: type.kind, ...item };
}

function parseJson(text: string, request: K8sRequest): K8sResult<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return failed({
      kind: 'bad-response',
      request,
      message: `bad-response: ${describeRequest(request)}: the answer is not JSON (${JSON.stringify(text.slice(0, 80))})`,
    });
  }
}

function continueToken(status: K8sStatus | undefined): string | undefined {
  const token = status?.metadata?.continue;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function retryAfterMs(header: string | undefined): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : 1000;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A promise raced against an abort signal (an exec credential plugin that hangs must not hang the scan). */
function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return new Promise((resolve) => {
    const onAbort = (): void =>
      resolve({ ok: false, error: Object.assign(new Error('aborted'), { name: 'AbortError' }) });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .then(
        (value) => resolve({ ok: true, value }),
        (error: unknown) => resolve({ ok: false, error }),
      )
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** At most `size` tasks at once, the rest queued in order. */
class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next in line, so a newcomer cannot slip in between.
    if (this.active < this.size) this.active++;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** What makes two agents' connections interchangeable: trust, client identity, verification, server name. */
function sameTlsSetup(a: AgentOptions, b: AgentOptions): boolean {
  const same = (x: unknown, y: unknown): boolean =>
    Buffer.isBuffer(x) && Buffer.isBuffer(y)
      ? x.equals(y)
      : Array.isArray(x) && Array.isArray(y)
        ? x.length === y.length && x.every((item, i) => same(item, y[i]))
        : x === y;
  return (
    same(a.ca, b.ca) &&
    same(a.cert, b.cert) &&
    same(a.key, b.key) &&
    same(a.pfx, b.pfx) &&
    a.passphrase === b.passphrase &&
    a.rejectUnauthorized === b.rejectUnauthorized &&
    a.servername === b.servername
  );
}
