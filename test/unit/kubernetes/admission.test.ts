// What the windows-gmsa webhook answers (src/k8s/admission.ts), checked against what its own integration tests
// assert (admission-webhook/integration_tests/integration_test.go): the contents it injects, and which refusal of
// several comes first.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { admissionDenial, goJson, sameContents } from '../../../src/k8s/admission.js';
import type { K8sObject } from '../../../src/k8s/index.js';
import { podMatters, workloadOf } from '../../../src/k8s/workloads.js';
import { rendered, renderedCredspec } from './helpers.js';

/** integration_test.go's expectedCredSpec0: "the JSON representation of the cred spec from templates/credspec-0.yml". */
const EXPECTED_CREDSPEC_0 = `{"ActiveDirectoryConfig":{"GroupManagedServiceAccounts":[{"Name":"WebApplication0","Scope":"CONTOSO"},{"Name":"WebApplication0","Scope":"contoso.com"}]},"CmsPlugins":["ActiveDirectory"],"DomainJoinConfig":{"DnsName":"contoso.com","DnsTreeName":"contoso.com","Guid":"244818ae-87ca-4fcd-92ec-e79e5252348a","MachineAccountName":"WebApplication0","NetBiosName":"CONTOSO","Sid":"S-1-5-21-2126729477-2524075714-3094792973"}}`;

const credspec0 = parse(renderedCredspec('k8s-windows-gmsa__credspec-0.yml')) as K8sObject;
const lookup = (name: string) =>
  name === 'gmsa-webapp0' ? { exists: true as const, credspec: credspec0.credspec } : { exists: false as const };
const allowed = () => ({ known: true as const, allowed: true, reason: '' });
const denied = () => ({ known: true as const, allowed: false, reason: '' });
const workload = (name: string, values: Record<string, unknown> = {}) =>
  workloadOf({ object: parse(rendered(name, values)) as K8sObject })!;

describe("the webhook's contents and comparison", () => {
  it("injects the credspec as Go's json.Marshal writes it (keys sorted), byte for byte what its tests expect", () => {
    expect(goJson(credspec0.credspec)).toBe(EXPECTED_CREDSPEC_0);
  });

  it('compares contents as text first, then as JSON objects (the pre-set matching template has other order and spacing)', () => {
    const preset = workload('windows-gmsa__it-template__simple-with-pre-set-matching-contents.yml').usages[0]!
      .contents!;
    expect(preset).not.toBe(EXPECTED_CREDSPEC_0);
    expect(sameContents(preset, EXPECTED_CREDSPEC_0)).toEqual({ equal: true });
    expect(sameContents('[1]', EXPECTED_CREDSPEC_0)).toEqual({
      equal: false,
      parseError: 'unable to parse the inline contents as a JSON object',
    });
  });
});

describe('admissionDenial: the first refusal, as the webhook orders its checks', () => {
  it('admits a pod whose credspec exists and may be used', () => {
    expect(
      admissionDenial(workload('windows-gmsa__it-template__single-pod-with-gmsa.yml'), lookup, allowed),
    ).toBeUndefined();
  });

  it('the mutating pass refuses an unknown name (404) before the validating pass asks about RBAC', () => {
    const denial = admissionDenial(workload('k8s-windows-gmsa__simple-with-unknown-gmsa.yml'), lookup, denied);
    expect(denial).toMatchObject({
      code: 404,
      cause: 'not-found',
      message: 'cred spec i-sure-dont-exist does not exist',
    });
  });

  it("then the service account (403), with the review's reason when it has one", () => {
    const w = workload('windows-gmsa__it-template__single-pod-with-container-level-gmsa.yml');
    expect(admissionDenial(w, lookup, denied)).toMatchObject({
      code: 403,
      message: 'service account "webapp-sa" is not authorized to `use` GMSA cred spec "gmsa-webapp0"',
    });
    expect(
      admissionDenial(w, lookup, () => ({ known: true, allowed: false, reason: 'no RBAC policy matched' }))!.message,
    ).toBe(
      'service account "webapp-sa" is not authorized to `use` GMSA cred spec "gmsa-webapp0", reason: "no RBAC policy matched"',
    );
  });

  it('then pre-set contents that differ (422), and contents without a name (422)', () => {
    expect(
      admissionDenial(workload('k8s-windows-gmsa__simple-with-pre-set-unmatching-contents.yml'), lookup, allowed),
    ).toMatchObject({ code: 422, cause: 'contents-differ' });
    const bare = workload('windows-gmsa__it-template__single-pod-with-gmsa.yml', {
      CredSpecContent: EXPECTED_CREDSPEC_0,
    });
    expect(admissionDenial(bare, lookup, allowed)).toBeUndefined();
    expect(
      admissionDenial(
        workload('windows-gmsa__it-template__simple-with-preset-gmsa-container-level-contents.yml'),
        lookup,
        allowed,
      ),
    ).toMatchObject({
      code: 422,
      message: 'container "nginx" has a GMSA cred spec set, but does not define the name of the corresponding resource',
    });
  });

  it('a credspec without a credspec key (417)', () => {
    const empty = (name: string) =>
      name === 'gmsa-webapp0' ? { exists: true as const, credspec: undefined } : { exists: false as const };
    expect(
      admissionDenial(workload('windows-gmsa__it-template__single-pod-with-gmsa.yml'), empty, allowed),
    ).toMatchObject({ code: 417, message: 'cred spec gmsa-webapp0 does not have a credspec key' });
  });
});

describe('podMatters: which pods of a list page a scan keeps', () => {
  it('keeps pods that use a gMSA or its alpha annotations, drops the others', () => {
    const pod = (name: string) => parse(rendered(name)) as K8sObject;
    expect(podMatters(pod('windows-gmsa__it-template__single-pod-with-gmsa.yml'))).toBe(true);
    expect(podMatters(pod('windows-gmsa__it-template__single-pod-with-container-level-gmsa.yml'))).toBe(true);
    const plain = pod('windows-gmsa__it-template__single-pod-with-gmsa.yml');
    delete (plain.spec as { securityContext?: unknown }).securityContext;
    expect(podMatters(plain)).toBe(false);
    expect(
      podMatters({
        ...plain,
        metadata: {
          ...plain.metadata,
          annotations: { 'nginx.container.alpha.windows.kubernetes.io/gmsa-credential-spec-name': 'gmsa-webapp0' },
        },
      }),
    ).toBe(true);
  });
});
