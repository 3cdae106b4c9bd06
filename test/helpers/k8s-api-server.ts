/**
 * A local HTTPS Kubernetes API server for tests (no real one can run on these machines). It implements exactly
 * the endpoints a read-only gMSA scan uses, with the API's own shapes and texts:
 * - discovery: /version, /api, /api/v1, /apis, /apis/G, /apis/G/V;
 * - list (limit/continue paging with opaque tokens, 410 Expired with an inconsistent token once tokens are
 *   expired, labelSelector, fieldSelector) and get, for the types of k8s-api-store.ts and of every loaded CRD;
 * - POST .../namespaces/NS/localsubjectaccessreviews, answered by an RBAC evaluator over the loaded objects;
 * - GET .../pods/NAME/log; GET .../services/NAME/proxy/PATH (to the Service's first ready endpoint);
 * - create (POST, with generateName) and delete (DELETE, with DeleteOptions' propagationPolicy) of Jobs, with the
 *   Job controller, the kubelets and the garbage collector acting on them (k8s-job-controller.ts);
 * - authentication by bearer token or client certificate (401 otherwise); authorization of the caller by the
 *   loaded RBAC, or everything allowed, plus per-test denials answered with the API server's 403 text;
 * - request recording, added latency, 429 throttling as API Priority and Fairness answers.
 * Its CA is made at test time (see k8s-tls.ts): @kubernetes/client-node refuses plain http.
 * State comes from real manifests (`load`) and objects a test adds; see ApiStore for what the server adds to them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Requirement } from '../../src/protocol/k8s/label-selector.js';
import { matchesRequirements, parseLabelSelector } from '../../src/protocol/k8s/label-selector.js';
import type { RequestAttributes, UserInfo } from '../../src/protocol/k8s/rbac.js';
import { aggregateMessage } from '../../src/protocol/k8s/rbac.js';
import type { AddResult, ApiStatus, Json, ServedType } from './k8s-api-store.js';
import {
  ApiStatusError,
  ApiStore,
  compareKubeVersions,
  qualified,
  randomSuffix,
  statusError,
} from './k8s-api-store.js';
import { JobController } from './k8s-job-controller.js';
import { TestPki } from './k8s-tls.js';

export { ApiStatusError } from './k8s-api-store.js';
export type { AddResult, ApiStatus, Json } from './k8s-api-store.js';
export type { NodeBehaviour } from './k8s-job-controller.js';

export interface K8sApiServerOptions {
  /** Who the default token is; default the service account gmsa-doctor/gmsa-doctor. */
  identity?: UserInfo;
  /** 'allow-all' (default): the caller may do anything not denied; 'rbac': the loaded RBAC decides. */
  authorization?: 'allow-all' | 'rbac';
  /** Default namespaces, their default service accounts, cluster-admin and system:discovery (default true). */
  bootstrap?: boolean;
  now?: () => Date;
  /** For the bench: where the CA and kubeconfig go (default a new temp dir, removed on close). */
  dir?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  user: string;
  verb: string;
  resource: string;
  status: number;
}

/** A denial of the caller's own requests; an omitted field matches anything. `resource` may be `pods/log`. */
export interface Denial {
  verb?: string;
  group?: string;
  resource?: string;
  namespace?: string;
}

export interface KubeconfigVariant {
  /** PEM of the CA the kubeconfig trusts (default the server's CA). */
  caPem?: string;
  insecureSkipTlsVerify?: boolean;
  token?: string;
  clientCertificate?: { cert: string; key: string };
  /** A users[].user.exec entry (credential plugin). */
  exec?: Json;
  context?: string;
  namespace?: string;
  server?: string;
}

const SCANNER: UserInfo = {
  name: 'system:serviceaccount:gmsa-doctor:gmsa-doctor',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:gmsa-doctor', 'system:authenticated'],
};

const VERSION = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.4',
  gitCommit: 'a51b3b711150f57ffc1f526a640ec058514ed596',
  gitTreeState: 'clean',
  buildDate: '2024-08-14T18:59:58Z',
  goVersion: 'go1.22.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export async function startK8sApiServer(options: K8sApiServerOptions = {}): Promise<K8sApiServer> {
  const server = new K8sApiServer(options);
  await server.listen();
  return server;
}

export class K8sApiServer {
  readonly dir: string;
  readonly pki: TestPki;
  readonly store: ApiStore;
  /** What the Job controller and each node's kubelet do with a Job: `server.jobs.node(name, behaviour)`. */
  readonly jobs: JobController;
  /** The default token, which authenticates as `identity`. */
  readonly token = `gmsa-doctor-test-${Math.random().toString(36).slice(2)}`;
  readonly identity: UserInfo;
  readonly requests: RecordedRequest[] = [];
  /** TLS connections accepted so far. */
  connections = 0;
  authorization: 'allow-all' | 'rbac';
  /** Added before each answer (ms), or per request. */
  latency: number | ((request: RecordedRequest) => number) = 0;
  url = '';
  private readonly ownDir: boolean;
  private readonly tokens = new Map<string, UserInfo>();
  private readonly denials: Denial[] = [];
  private readonly logs = new Map<string, string>();
  /** Continue tokens at or below this resource version have "expired" (as after an etcd compaction). */
  private compactedRevision = 0;
  private throttled = { count: 0, retryAfterSeconds: 1 };
  private readonly https: Server;

  constructor(options: K8sApiServerOptions = {}) {
    this.ownDir = options.dir === undefined;
    this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'gmsa-k8s-api-'));
    this.pki = new TestPki(this.dir);
    this.store = new ApiStore(options.now ?? (() => new Date()), options.bootstrap ?? true);
    this.jobs = new JobController(this.store, (ns, pod, container, text) => this.setPodLog(ns, pod, container, text));
    this.identity = options.identity ?? SCANNER;
    this.authorization = options.authorization ?? 'allow-all';
    this.tokens.set(this.token, this.identity);
    this.https = createServer(
      {
        key: this.pki.server.key,
        cert: this.pki.server.cert,
        ca: [this.pki.ca.cert],
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        void this.handle(req, res);
      },
    );
    this.https.on('secureConnection', () => this.connections++);
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.https.listen(port, '127.0.0.1', resolve));
    const address = this.https.address();
    this.url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  }

  async close(): Promise<void> {
    this.jobs.stop();
    this.https.closeAllConnections();
    await new Promise<void>((resolve) => this.https.close(() => resolve()));
    if (this.ownDir) rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- state -------------------------------------------------------------------------------------------------

  /** Create or update one object (kubectl apply); throws ApiStatusError as the API server would answer. */
  add(manifest: Json): AddResult {
    return this.store.add(manifest);
  }

  /** Every document of a YAML text (multi-document), in kubectl apply's order: namespaces and CRDs first. */
  load(yaml: string): AddResult[] {
    return this.apply(yaml).map((result, i) => {
      if ('error' in result)
        throw new Error(`document ${i + 1} (${result.kind ?? '?'} ${result.name ?? '?'}): ${result.error.message}`);
      return result;
    });
  }

  loadFile(path: string): AddResult[] {
    return this.load(readFileSync(path, 'utf8'));
  }

  /** Like `load`, but a document the API server refuses is reported, not thrown (what kubectl apply prints). */
  apply(yaml: string): (AddResult | { kind?: string; name?: string; error: ApiStatus })[] {
    const documents = parseAllDocuments(yaml)
      .map((d) => d.toJS() as Json | null)
      .filter((d): d is Json => d !== null && typeof d === 'object');
    const rank = (d: Json): number => (d.kind === 'Namespace' ? 0 : d.kind === 'CustomResourceDefinition' ? 1 : 2);
    return documents
      .map((d, i) => ({ d, i }))
      .sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i)
      .map(({ d }) => {
        try {
          return this.add(d);
        } catch (error) {
          if (!(error instanceof ApiStatusError)) throw error;
          return { kind: d.kind as string, name: d.metadata?.name as string, error: error.status };
        }
      });
  }

  remove(apiVersion: string, kind: string, name: string, namespace = ''): boolean {
    const type = this.store.typeForManifest(apiVersion, kind);
    return this.store.remove(type.group, type.resource, type.namespaced ? namespace || 'default' : '', name);
  }

  /** What a container wrote; `GET .../pods/POD/log?container=C` answers it. */
  setPodLog(namespace: string, pod: string, container: string, text: string): void {
    this.logs.set(`${namespace}/${pod}/${container}`, text);
  }

  // ---- switches ----------------------------------------------------------------------------------------------

  /** Deny the caller (any identity) a verb/resource: answered 403 with the API server's message. */
  deny(denial: Denial): void {
    this.denials.push(denial);
  }

  /** The next `count` requests are turned away as API Priority and Fairness does when a priority level is full. */
  throttle(count: number, retryAfterSeconds = 1): void {
    this.throttled = { count, retryAfterSeconds };
  }

  /** Another credential: a token and who it is. */
  addToken(token: string, user: UserInfo): void {
    this.tokens.set(token, user);
  }

  /** Every continue token issued so far expires (410 Expired, with an inconsistent token to go on). */
  expireContinueTokens(): void {
    this.compactedRevision = this.store.resourceVersion++;
  }

  requestCount(
    filter: Partial<Pick<RecordedRequest, 'method' | 'verb' | 'resource' | 'user'>> & { path?: string | RegExp } = {},
  ): number {
    return this.requests.filter(
      (r) =>
        (filter.method === undefined || r.method === filter.method) &&
        (filter.verb === undefined || r.verb === filter.verb) &&
        (filter.resource === undefined || r.resource === filter.resource) &&
        (filter.user === undefined || r.user === filter.user) &&
        (filter.path === undefined ||
          (typeof filter.path === 'string' ? r.path === filter.path : filter.path.test(r.path))),
    ).length;
  }

  /** A kubeconfig for this server (YAML text); by default the CA, the default token, context `test`. */
  kubeconfig(variant: KubeconfigVariant = {}): string {
    const context = variant.context ?? 'test';
    const cluster: Json = { server: variant.server ?? this.url };
    if (variant.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
    else cluster['certificate-authority-data'] = Buffer.from(variant.caPem ?? this.pki.ca.cert).toString('base64');
    const user: Json = {};
    if (variant.clientCertificate) {
      user['client-certificate-data'] = Buffer.from(variant.clientCertificate.cert).toString('base64');
      user['client-key-data'] = Buffer.from(variant.clientCertificate.key).toString('base64');
    } else if (variant.exec) user.exec = variant.exec;
    else user.token = variant.token ?? this.token;
    return JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test-cluster', cluster }],
      users: [{ name: 'test-user', user }],
      contexts: [
        {
          name: context,
          context: {
            cluster: 'test-cluster',
            user: 'test-user',
            ...(variant.namespace ? { namespace: variant.namespace } : {}),
          },
        },
      ],
      'current-context': context,
    });
  }

  /** Writes `kubeconfig(variant)` into the server's directory and returns its path. */
  writeKubeconfig(name = 'kubeconfig', variant: KubeconfigVariant = {}): string {
    const path = join(this.dir, name);
    writeFileSync(path, this.kubeconfig(variant), { mode: 0o600 });
    return path;
  }

  // ---- HTTP --------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      user: '',
      verb: '',
      resource: '',
      status: 0,
    };
    this.requests.push(record);
    const body = await readBody(req);
    const delay = typeof this.latency === 'function' ? this.latency(record) : this.latency;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.throttled.count > 0) {
      this.throttled.count--;
      record.status = 429;
      // apiserver's filters (tooManyRequests): plain text, with Retry-After.
      res.writeHead(429, {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
        'Retry-After': String(this.throttled.retryAfterSeconds),
      });
      res.end('Too many requests, please try again later.\n');
      return;
    }
    try {
      const user = this.authenticate(req);
      if (!user) throw statusError(401, 'Unauthorized', 'Unauthorized');
      record.user = user.name;
      const answer = await this.route(req.method ?? 'GET', url, body, user, record);
      record.status = answer.status;
      if (res.destroyed) return;
      res.writeHead(answer.status, {
        'Content-Type': answer.contentType ?? 'application/json',
        ...(answer.headers ?? {}),
      });
      res.end(answer.body);
    } catch (error) {
      const status =
        error instanceof ApiStatusError
          ? error.status
          : statusError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`).status;
      record.status = status.code;
      if (res.destroyed) return;
      res.writeHead(status.code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status));
    }
  }

  private authenticate(req: IncomingMessage): UserInfo | undefined {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) return this.tokens.get(bearer.trim());
    const socket = req.socket as TLSSocket;
    if (!socket.authorized) return undefined;
    const subject = socket.getPeerCertificate().subject as unknown as Record<string, string | string[]> | undefined;
    if (!subject?.CN) return undefined;
    const organizations = subject.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
    return { name: String(subject.CN), groups: [...organizations, 'system:authenticated'] };
  }

  private route(
    method: string,
    url: URL,
    body: string,
    user: UserInfo,
    record: RecordedRequest,
  ): Answer | Promise<Answer> {
    const proxy = SERVICE_PROXY.exec(url.pathname);
    if (proxy) {
      const [, namespace, target, rest] = proxy as unknown as [string, string, string, string | undefined];
      Object.assign(record, { verb: method === 'GET' ? 'get' : method.toLowerCase(), resource: 'services/proxy' });
      this.authorize(user, {
        verb: record.verb,
        group: '',
        resource: 'services',
        subresource: 'proxy',
        namespace: decodeURIComponent(namespace),
        name: decodeURIComponent(target),
      });
      return this.serviceProxy(decodeURIComponent(namespace), decodeURIComponent(target), rest ?? '/');
    }
    const parts = url.pathname.split('/').filter(Boolean);
    const discovery = this.discovery(parts);
    if (discovery !== undefined) {
      record.verb = 'get';
      this.authorize(user, { verb: 'get', path: url.pathname });
      return discovery === NOT_SERVED ? NOT_FOUND : json(200, discovery);
    }
    const request = this.parseResourcePath(parts);
    if (!request) return NOT_FOUND;
    const verb =
      method === 'POST'
        ? 'create'
        : method === 'GET'
          ? request.name === undefined
            ? url.searchParams.get('watch') === 'true'
              ? 'watch'
              : 'list'
            : 'get'
          : method.toLowerCase();
    Object.assign(record, {
      verb,
      resource: request.subresource ? `${request.type.resource}/${request.subresource}` : request.type.resource,
    });
    const attributes: RequestAttributes = {
      verb,
      group: request.type.group,
      resource: request.type.resource,
      ...(request.subresource ? { subresource: request.subresource } : {}),
      ...(request.namespace ? { namespace: request.namespace } : {}),
      ...(request.name !== undefined ? { name: request.name } : {}),
    };
    this.authorize(user, attributes);
    if (request.type.resource === 'localsubjectaccessreviews') {
      if (verb !== 'create') throw methodNotSupported(request.type, verb);
      return json(201, this.localSubjectAccessReview(request.namespace ?? '', body));
    }
    if (verb === 'list')
      return json(200, this.list(request.type, request.version, request.namespace, url.searchParams));
    if (verb === 'get' && request.subresource === 'log' && request.type.resource === 'pods')
      return this.podLog(request.namespace!, request.name!, url.searchParams);
    if (verb === 'get' && !request.subresource)
      return json(200, this.store.get(request.type, request.version, request.namespace ?? '', request.name!));
    if (verb === 'create' && request.name === undefined && !request.subresource && request.type.resource === 'jobs')
      return json(201, this.createJob(request.type, request.version, request.namespace, body));
    if (verb === 'delete' && request.name !== undefined && !request.subresource)
      return json(200, this.deleteObject(request.type, request.namespace ?? '', request.name, body));
    throw methodNotSupported(request.type, verb);
  }

  /** A discovery document, NOT_SERVED for a discovery path of an unknown group/version, undefined for other paths. */
  private discovery(parts: string[]): Json | undefined {
    const types = this.store.types();
    if (parts.length === 1 && parts[0] === 'version') return VERSION;
    if (parts.length === 1 && parts[0] === 'api')
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.url.replace('https://', '') }],
      };
    if (parts.length === 2 && parts[0] === 'api' && parts[1] === 'v1')
      return resourceList(
        'v1',
        types.filter((t) => t.group === ''),
      );
    if (parts[0] !== 'apis' || parts.length > 3) return undefined;
    const groups = groupsOf(types.filter((t) => t.group !== ''));
    if (parts.length === 1) return { kind: 'APIGroupList', apiVersion: 'v1', groups };
    const group = groups.find((g) => g.name === parts[1]);
    if (!group) return NOT_SERVED;
    if (parts.length === 2) return { kind: 'APIGroup', apiVersion: 'v1', ...group };
    const version = parts[2]!;
    if (!group.versions.some((v: Json) => v.version === version)) return NOT_SERVED;
    return resourceList(
      `${group.name as string}/${version}`,
      types.filter((t) => t.group === group.name && t.versions.includes(version)),
    );
  }

  /** `/api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUB]]`, `/apis/G/V/...`: as kube-apiserver's RequestInfoFactory reads it. */
  private parseResourcePath(
    parts: string[],
  ): { type: ServedType; version: string; namespace?: string; name?: string; subresource?: string } | undefined {
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1]) [group, version, rest] = ['', parts[1], parts.slice(2)];
    else if (parts[0] === 'apis' && parts[1] && parts[2]) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    else return undefined;
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 2) {
      namespace = decodeURIComponent(rest[1]!);
      if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
    }
    const type = this.store.typeFor(group, version, rest[0] ?? '');
    if (!type || rest.length > 3) return undefined;
    const name = rest[1] === undefined ? undefined : decodeURIComponent(rest[1]);
    const subresource = rest[2];
    if (type.namespaced === false && type.resource !== 'namespaces' && namespace !== undefined) return undefined;
    if (type.namespaced && name !== undefined && namespace === undefined) return undefined;
    if (subresource && !(type.subresources ?? []).some((s) => s.name === subresource)) return undefined;
    return {
      type,
      version,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(subresource ? { subresource } : {}),
    };
  }

  private authorize(user: UserInfo, attributes: RequestAttributes): void {
    const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
    const denied = this.denials.some(
      (d) =>
        attributes.path === undefined &&
        (d.verb === undefined || d.verb === attributes.verb) &&
        (d.group === undefined || d.group === attributes.group) &&
        (d.resource === undefined || d.resource === resource) &&
        (d.namespace === undefined || d.namespace === attributes.namespace),
    );
    const allowed =
      !denied &&
      (this.authorization === 'allow-all' ||
        user.groups.includes('system:masters') ||
        this.store.rbac().authorize(user, attributes).allowed);
    if (allowed) return;
    throw forbidden(user, attributes);
  }

  private list(type: ServedType, version: string, namespace: string | undefined, query: URLSearchParams): Json {
    const labels = parseSelectorParam(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), type);
    const limit = Number(query.get('limit') ?? 0);
    if (!Number.isInteger(limit) || limit < 0)
      throw statusError(
        400,
        'BadRequest',
        `limit: Invalid value: ${JSON.stringify(query.get('limit'))}: must be a non-negative integer`,
      );
    const token = query.get('continue');
    const start = token ? this.decodeContinue(token) : undefined;
    const all = this.store.list(type, version, namespace);
    const filtered =
      labels.length === 0 && fields.length === 0
        ? all
        : all.filter(
            (e) =>
              matchesRequirements(labels, e.object.metadata?.labels as Record<string, string>) &&
              fieldsMatch(fields, e.object),
          );
    const from = start === undefined ? 0 : lowerBound(filtered, start.key);
    const page = limit > 0 ? filtered.slice(from, from + limit) : filtered.slice(from);
    const rest = filtered.length - from - page.length;
    const resourceVersion = String(start?.rv ?? this.store.resourceVersion);
    const metadata: Json = { resourceVersion };
    if (rest > 0) {
      metadata.continue = encodeContinue(Number(resourceVersion), `${page[page.length - 1]!.key}\u0000`);
      // Not given with selectors: the server cannot count what is left without evaluating them.
      if (labels.length === 0 && fields.length === 0) metadata.remainingItemCount = rest;
    }
    const apiVersion = type.group ? `${type.group}/${version}` : version;
    return { kind: type.listKind, apiVersion, metadata, items: page.map((e) => e.object) };
  }

  private decodeContinue(token: string): { rv: number; key: string } {
    let decoded: { v?: string; rv?: number; start?: string };
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof decoded;
    } catch {
      throw statusError(
        400,
        'BadRequest',
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      );
    }
    if (decoded.v !== 'meta.k8s.io/v1' || typeof decoded.start !== 'string' || typeof decoded.rv !== 'number')
      throw statusError(
        400,
        'BadRequest',
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      );
    if (decoded.rv !== -1 && decoded.rv <= this.compactedRevision) {
      const inconsistent = encodeContinue(-1, decoded.start);
      throw statusError(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        undefined,
        { continue: inconsistent },
      );
    }
    return { rv: decoded.rv === -1 ? this.store.resourceVersion : decoded.rv, key: decoded.start };
  }

  private localSubjectAccessReview(namespace: string, body: string): Json {
    let review: Json;
    try {
      review = JSON.parse(body) as Json;
    } catch {
      throw statusError(
        400,
        'BadRequest',
        "the object provided is unrecognized (must be of type LocalSubjectAccessReview): couldn't get version/kind; json parse error",
      );
    }
    const spec = (review.spec ?? {}) as Json;
    const attributes = spec.resourceAttributes as Json | undefined;
    const reviewNamespace = (review.metadata?.namespace ?? '') as string;
    const errors: string[] = [];
    if (spec.resourceAttributes && spec.nonResourceAttributes)
      errors.push(
        'spec.nonResourceAttributes: Invalid value: "null": cannot be specified in combination with resourceAttributes',
      );
    if (!spec.resourceAttributes && !spec.nonResourceAttributes)
      errors.push(
        'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      );
    if (!spec.user && !(spec.groups as string[] | undefined)?.length)
      errors.push('spec.user: Invalid value: "": at least one of user or group must be specified');
    if (attributes && (attributes.namespace ?? '') !== reviewNamespace)
      errors.push(
        `spec.resourceAttributes.namespace: Invalid value: ${JSON.stringify(attributes.namespace ?? '')}: must match metadata.namespace`,
      );
    if (spec.nonResourceAttributes)
      errors.push('spec.nonResourceAttributes: Invalid value: "...": disallowed on this kind of request');
    if (errors.length > 0)
      throw statusError(
        422,
        'Invalid',
        `LocalSubjectAccessReview.authorization.k8s.io "" is invalid: ${aggregateMessage(errors)}`,
        { group: 'authorization.k8s.io', kind: 'LocalSubjectAccessReview' },
      );
    if (namespace !== reviewNamespace)
      throw statusError(400, 'BadRequest', `spec.resourceAttributes.namespace must match namespace: ${namespace}`);
    const user: UserInfo = { name: (spec.user ?? '') as string, groups: (spec.groups ?? []) as string[] };
    const decision = user.groups.includes('system:masters')
      ? { allowed: true, reason: '' }
      : this.store.rbac().authorize(user, {
          verb: (attributes!.verb ?? '') as string,
          group: (attributes!.group ?? '') as string,
          resource: (attributes!.resource ?? '') as string,
          ...(attributes!.subresource ? { subresource: attributes!.subresource as string } : {}),
          namespace,
          ...(attributes!.name ? { name: attributes!.name as string } : {}),
        });
    return {
      kind: 'LocalSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { namespace, creationTimestamp: null },
      spec,
      status: { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) },
    };
  }

  /** POST of a Job: the checks of kube-apiserver's create handler, generateName, then the Job controller. */
  private createJob(type: ServedType, version: string, namespace: string | undefined, body: string): Json {
    let job: Json;
    try {
      job = JSON.parse(body) as Json;
    } catch (error) {
      throw statusError(400, 'BadRequest', `couldn't get version/kind; json parse error: ${(error as Error).message}`);
    }
    const expected = `${type.group}/${version}`;
    if (job.apiVersion !== expected || job.kind !== type.kind)
      throw statusError(
        400,
        'BadRequest',
        `the API version in the data (${String(job.apiVersion)}) does not match the expected API version (${expected})`,
      );
    const meta = (job.metadata ?? {}) as Json;
    // The NamespaceLifecycle admission plugin: no object in a namespace that does not exist.
    if (namespace) this.store.get(this.store.typeFor('', 'v1', 'namespaces')!, 'v1', '', namespace);
    if (meta.namespace !== undefined && meta.namespace !== namespace)
      throw statusError(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    const name =
      (meta.name as string | undefined) ||
      (meta.generateName ? `${meta.generateName as string}${randomSuffix()}` : undefined);
    if (name && this.store.list(type, version, namespace).some((e) => e.key === `${namespace ?? ''}/${name}`))
      throw statusError(
        409,
        'AlreadyExists',
        `${qualified(type.group, type.resource)} ${JSON.stringify(name)} already exists`,
        {
          name,
          group: type.group,
          kind: type.resource,
        },
      );
    const created = this.store.add({ ...job, metadata: { ...meta, ...(name ? { name } : {}), namespace } }).object;
    return this.jobs.jobCreated(created);
  }

  /** DELETE: the object goes at once (no finalizers here); a Job's pods as its DeleteOptions' propagationPolicy says. */
  private deleteObject(type: ServedType, namespace: string, name: string, body: string): Json {
    const object = this.store.get(type, type.versions[0]!, type.namespaced ? namespace : '', name);
    let options: Json;
    try {
      options = body ? (JSON.parse(body) as Json) : {};
    } catch {
      throw statusError(400, 'BadRequest', 'the body of the request was in an unknown format');
    }
    this.store.remove(type.group, type.resource, type.namespaced ? namespace : '', name);
    if (type.group === 'batch' && type.resource === 'jobs')
      this.jobs.jobDeleted(object, options.propagationPolicy as string | undefined);
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, ...(type.group ? { group: type.group } : {}), kind: type.resource, uid: object.metadata.uid },
    };
  }

  /**
   * The service proxy (`GET .../services/[https:]NAME[:PORT]/proxy/PATH`), as kube-apiserver's service REST
   * ResourceLocation picks an endpoint and its proxy handler calls it: TLS not verified, the answer passed through,
   * 503 with its texts when there is no endpoint or the endpoint cannot be reached.
   */
  private async serviceProxy(namespace: string, target: string, path: string): Promise<Answer> {
    const [scheme, name, port] = splitSchemeNamePort(target);
    const service = this.store.get(this.store.typeFor('', 'v1', 'services')!, 'v1', namespace, name);
    const ports = (service.spec?.ports ?? []) as Json[];
    let portName = port;
    if (/^\d+$/.test(port)) {
      const found = ports.find((p) => p.port === Number(port));
      if (!found)
        throw statusError(
          503,
          'ServiceUnavailable',
          `no service port ${port} found for service ${JSON.stringify(name)}`,
        );
      portName = (found.name as string | undefined) ?? '';
    }
    const endpoints = this.store.get(this.store.typeFor('', 'v1', 'endpoints')!, 'v1', namespace, name);
    const subsets = (endpoints.subsets ?? []) as Json[];
    if (subsets.length === 0)
      throw statusError(503, 'ServiceUnavailable', `no endpoints available for service ${JSON.stringify(name)}`);
    for (const subset of subsets) {
      const address = ((subset.addresses ?? []) as Json[])[0];
      const endpointPort = ((subset.ports ?? []) as Json[]).find((p) => (p.name ?? '') === portName);
      if (!address || !endpointPort) continue;
      const host = address.ip as string;
      const answer = await forward(scheme, host, endpointPort.port as number, path);
      if (answer) return answer;
      throw statusError(
        503,
        'ServiceUnavailable',
        `error trying to reach service: dial tcp ${host}:${endpointPort.port as number}: connect: connection refused`,
      );
    }
    throw statusError(503, 'ServiceUnavailable', `no endpoints available for service ${JSON.stringify(target)}`);
  }

  /** kubelet's container log, through the API server (pod registry LogLocation checks first). */
  private podLog(namespace: string, name: string, query: URLSearchParams): Answer {
    const pod = this.store.get(this.store.typeFor('', 'v1', 'pods')!, 'v1', namespace, name);
    const containers = ((pod.spec?.containers ?? []) as Json[]).map((c) => c.name as string);
    let container = query.get('container') ?? '';
    if (!container) {
      if (containers.length !== 1) {
        throw statusError(
          400,
          'BadRequest',
          containers.length === 0
            ? `a container name must be specified for pod ${name}`
            : `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`,
        );
      }
      container = containers[0]!;
    } else if (!containers.includes(container))
      throw statusError(400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
    if (!pod.spec?.nodeName) throw statusError(400, 'BadRequest', `pod ${name} does not have a host assigned`);
    const state = ((pod.status?.containerStatuses ?? []) as Json[]).find((s) => s.name === container)?.state as
      Json | undefined;
    if (state?.waiting)
      throw statusError(
        400,
        'BadRequest',
        `container ${JSON.stringify(container)} in pod ${JSON.stringify(name)} is waiting to start: ${(state.waiting.reason as string | undefined) ?? 'ContainerCreating'}`,
      );
    let text = this.logs.get(`${namespace}/${name}/${container}`) ?? '';
    const tail = query.get('tailLines');
    if (tail !== null) {
      const lines = text.split(/(?<=\n)/);
      text = lines.slice(Math.max(0, lines.length - Number(tail))).join('');
    }
    const limit = query.get('limitBytes');
    if (limit !== null) text = Buffer.from(text).subarray(0, Number(limit)).toString('utf8');
    return { status: 200, contentType: 'text/plain', body: text };
  }
}

const SERVICE_PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/;

/** k8s.io/apimachinery's SplitSchemeNamePort: `https:name:port`, `name:port`, `name`. */
function splitSchemeNamePort(id: string): [string, string, string] {
  const parts = id.split(':');
  if (parts.length === 3) return [parts[0]!, parts[1]!, parts[2]!];
  if (parts.length === 2) return ['', parts[0]!, parts[1]!];
  return ['', id, ''];
}

/** One request to an endpoint, TLS unverified as kube-apiserver's proxy transport; undefined when unreachable. */
function forward(scheme: string, host: string, port: number, path: string): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const request = (scheme === 'https' ? httpsRequest : httpRequest)(
      { host, port, path, method: 'GET', rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: res.headers['content-type'] ?? 'text/plain',
          }),
        );
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
    request.end();
  });
}

interface Answer {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Go's http.NotFound, which kube-apiserver answers for paths nothing serves (an uninstalled CRD's group). */
const NOT_FOUND: Answer = {
  status: 404,
  contentType: 'text/plain; charset=utf-8',
  body: '404 page not found\n',
  headers: { 'X-Content-Type-Options': 'nosniff' },
};
const NOT_SERVED: Json = {};

function json(status: number, body: Json): Answer {
  return { status, body: JSON.stringify(body) };
}

/** responsewriters.Forbidden: the message kube-apiserver writes, word for word. */
function forbidden(user: UserInfo, a: RequestAttributes): ApiStatusError {
  if (a.path !== undefined)
    return statusError(
      403,
      'Forbidden',
      `forbidden: User ${JSON.stringify(user.name)} cannot get path ${JSON.stringify(a.path)}`,
      {},
    );
  const resource = a.subresource ? `${a.resource ?? ''}/${a.subresource}` : (a.resource ?? '');
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  const reason = `User ${JSON.stringify(user.name)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.group ?? '')} ${where}`;
  const subject = qualified(a.group ?? '', a.resource ?? '');
  const message = a.name
    ? `${subject} ${JSON.stringify(a.name)} is forbidden: ${reason}`
    : `${subject} is forbidden: ${reason}`;
  return statusError(403, 'Forbidden', message, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.group ? { group: a.group } : {}),
    kind: a.resource,
  });
}

function methodNotSupported(type: ServedType, verb: string): ApiStatusError {
  return statusError(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind ${JSON.stringify(qualified(type.group, type.resource))}`,
    { ...(type.group ? { group: type.group } : {}), kind: type.resource },
  );
}

function resourceList(groupVersion: string, types: ServedType[]): Json {
  const resources: Json[] = [];
  for (const t of types) {
    resources.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
    });
    for (const sub of t.subresources ?? [])
      resources.push({
        name: `${t.resource}/${sub.name}`,
        singularName: '',
        namespaced: t.namespaced,
        kind: sub.name === 'log' ? 'Pod' : t.kind,
        verbs: sub.verbs,
      });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

function groupsOf(types: ServedType[]): Json[] {
  const byGroup = new Map<string, Set<string>>();
  for (const t of types)
    for (const v of t.versions) (byGroup.get(t.group) ?? byGroup.set(t.group, new Set()).get(t.group)!).add(v);
  return [...byGroup.entries()].map(([name, versions]) => {
    const sorted = [...versions].sort(compareKubeVersions);
    const entries = sorted.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: entries, preferredVersion: entries[0] };
  });
}

function parseSelectorParam(text: string | null): Requirement[] {
  if (!text) return [];
  const parsed = parseLabelSelector(text);
  if (!parsed.ok) throw statusError(400, 'BadRequest', parsed.error);
  return parsed.requirements;
}

/** Field selectors: metadata.name/namespace on every type, plus the fields kube-apiserver indexes for pods and nodes. */
const FIELD_LABELS: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
};

function parseFieldSelector(text: string | null, type: ServedType): { field: string; value: string; equal: boolean }[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw statusError(400, 'BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1]!;
    const known =
      field === 'metadata.name' ||
      field === 'metadata.namespace' ||
      (!type.crd && type.group === '' && (FIELD_LABELS[type.resource] ?? []).includes(field));
    if (!known) throw statusError(400, 'BadRequest', `field label not supported: ${field}`);
    return { field, value: m[3]!, equal: m[2] !== '!=' };
  });
}

function fieldsMatch(fields: { field: string; value: string; equal: boolean }[], object: Json): boolean {
  return fields.every(({ field, value, equal }) => {
    const actual = field
      .split('.')
      .reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Json)[k] : undefined), object);
    return (
      ((typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean'
        ? String(actual)
        : '') ===
        value) ===
      equal
    );
  });
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

/** The first entry whose key is >= `key` (entries sorted by key). */
function lowerBound(entries: { key: string }[], key: string): number {
  let [lo, hi] = [0, entries.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
