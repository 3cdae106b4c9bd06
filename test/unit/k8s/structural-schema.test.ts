// Structural-schema pruning and validation (src/protocol/k8s/structural-schema.ts): KEP-2332's own examples, then
// the GMSACredentialSpec CRDs of windows-gmsa's history.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from '../../../src/protocol/k8s/structural-schema.js';
import {
  formatFieldError,
  pruneCustomResource,
  pruneValue,
  validateAgainstSchema,
} from '../../../src/protocol/k8s/structural-schema.js';
import { credspecSample, sample } from './helpers.js';

const schema = (yaml: string): JSONSchemaProps => parse(yaml) as JSONSchemaProps;

describe('pruning, as KEP-2332 specifies it', () => {
  it('(1) an unspecified object loses everything', () => {
    expect(pruneValue({ foo: 42, json: { bar: 43 } }, schema('type: object')).value).toEqual({});
  });

  it('(3) properties at several levels keep only what they list', () => {
    const s = schema(
      'type: object\nproperties:\n  foo:\n    type: object\n    properties:\n      bar:\n        type: object\n',
    );
    const pruned = pruneValue({ foo: { bar: { abc: 42 }, def: 43 }, json: { ghi: 44 } }, s);
    expect(pruned.value).toEqual({ foo: { bar: {} } });
    expect(pruned.unknownFields).toEqual(['foo.bar.abc', 'foo.def', 'json']);
  });

  it('(4) additionalProperties keeps the keys at its level and prunes below', () => {
    const s = schema(
      'type: object\nproperties:\n  foo:\n    type: object\n    additionalProperties:\n      type: object\n',
    );
    expect(pruneValue({ foo: { abc: { x: 42 }, def: { y: 43 } }, json: { ghi: 44 } }, s).value).toEqual({
      foo: { abc: {}, def: {} },
    });
  });

  it('(7, 8) x-kubernetes-preserve-unknown-fields keeps a subtree; a property listed below it prunes again', () => {
    // KEP example 7 says `bar` keeps `abc`; algorithm.go (what runs) prunes under every listed property, so it does not.
    const seven = schema(
      'type: object\nproperties:\n  json:\n    type: object\n    x-kubernetes-preserve-unknown-fields: true\n    nullable: true\n    properties:\n      bar:\n        type: object\n',
    );
    expect(pruneValue({ foo: 42, json: { bar: { abc: 43 }, def: 44 } }, seven).value).toEqual({
      json: { bar: {}, def: 44 },
    });
    const eight = schema(
      'type: object\nproperties:\n  json:\n    type: object\n    x-kubernetes-preserve-unknown-fields: true\n    properties:\n      bar:\n        type: object\n        properties:\n          inner:\n            type: integer\n',
    );
    expect(pruneValue({ foo: 42, json: { bar: { inner: 43, abc: 44 }, def: 45 } }, eight).value).toEqual({
      json: { bar: { inner: 43 }, def: 45 },
    });
  });

  it('(11) at the root, apiVersion, kind and ObjectMeta fields are implied, other metadata is dropped', () => {
    const pruned = pruneCustomResource(
      { apiVersion: 'example/v1', kind: 'Foo', metadata: { name: 'example', garbage: 43 }, foo: 42 },
      schema('type: object'),
    );
    expect(pruned.value).toEqual({ apiVersion: 'example/v1', kind: 'Foo', metadata: { name: 'example' } });
    expect(pruned.unknownFields).toEqual(['metadata.garbage', 'foo']);
  });

  it('does not change its input', () => {
    const input = { foo: 1 };
    pruneValue(input, schema('type: object'));
    expect(input).toEqual({ foo: 1 });
  });
});

describe('the GMSACredentialSpec CRDs', () => {
  const crdSchema = (file: string, version: string): JSONSchemaProps => {
    const crd = parse(sample(file)) as {
      spec: { versions: { name: string; schema: { openAPIV3Schema: JSONSchemaProps } }[] };
    };
    return crd.spec.versions.find((v) => v.name === version)!.schema.openAPIV3Schema;
  };
  const credspec = parse(credspecSample('macsux-kerberos-buildpack__CcgPlugin__gmsa-spec.yaml')) as Record<string, any>;

  it('the current CRD keeps every field of a CCG plug-in credspec', () => {
    const pruned = pruneCustomResource(credspec, crdSchema('windows-gmsa__deploy__gmsa-crd.yml', 'v1'));
    expect(pruned.unknownFields).toEqual([]);
    expect(pruned.value).toEqual(credspec);
  });

  it('a misspelled key is pruned, not refused', () => {
    const misspelled = structuredClone(credspec);
    misspelled.credspec.ActiveDirectoryConfig.HostAccountconfig =
      misspelled.credspec.ActiveDirectoryConfig.HostAccountConfig;
    delete misspelled.credspec.ActiveDirectoryConfig.HostAccountConfig;
    expect(
      pruneCustomResource(misspelled, crdSchema('windows-gmsa__deploy__gmsa-crd.yml', 'v1')).unknownFields,
    ).toEqual(['credspec.ActiveDirectoryConfig.HostAccountconfig']);
  });

  it("validation after pruning: wrong types, required fields and enums in the API server's words", () => {
    const s = schema(
      'type: object\nrequired: [credspec]\nproperties:\n  credspec:\n    type: object\n    properties:\n      CmsPlugins:\n        type: array\n        items:\n          type: string\n          enum: [ActiveDirectory]\n',
    );
    expect(validateAgainstSchema({}, s).map(formatFieldError)).toEqual(['credspec: Required value']);
    expect(
      validateAgainstSchema({ credspec: { CmsPlugins: ['ActiveDirectory', 'Other', 3] } }, s).map(formatFieldError),
    ).toEqual([
      'credspec.CmsPlugins[1]: Unsupported value: "Other": supported values: "ActiveDirectory"',
      'credspec.CmsPlugins[2]: Invalid value: "integer": credspec.CmsPlugins[2] in body must be of type string: "integer"',
    ]);
    expect(validateAgainstSchema({ credspec: null }, s).map(formatFieldError)).toEqual([
      'credspec: Invalid value: "null": credspec in body must be of type object: "null"',
    ]);
  });
});
