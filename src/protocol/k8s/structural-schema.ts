/**
 * What kube-apiserver does to a custom resource with the structural schema of its CRD version
 * (apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go, KEP-2332 "Pruning for Custom Resources"):
 * - pruning: every field the schema does not list is dropped, silently, on write and on read from etcd, unless
 *   `x-kubernetes-preserve-unknown-fields: true` (or `additionalProperties`) covers it; `apiVersion`, `kind` and
 *   `metadata` at the root are implied, and `metadata` keeps only ObjectMeta fields;
 * - validation (after pruning): types, `nullable`, `required`, `enum`, with the API server's field error texts.
 * So a GMSACredentialSpec stored under a CRD whose `credspec` is a bare `{type: object}` becomes `credspec: {}`.
 * Pure, no I/O.
 */

export interface JSONSchemaProps {
  type?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  description?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  [other: string]: unknown;
}

const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

export interface PruneResult<T> {
  /** A pruned copy; the input is not changed. */
  value: T;
  /** The dropped fields as the API server names them in its warnings (`credspec.HostAccountconfig`). */
  unknownFields: string[];
}

/** Prune a whole custom resource (the root is an embedded resource: apiVersion, kind, metadata are kept). */
export function pruneCustomResource<T>(resource: T, schema: JSONSchemaProps | undefined): PruneResult<T> {
  const root: JSONSchemaProps = { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true };
  return pruneValue(resource, root);
}

/** Prune any value against a schema (no implied root fields). */
export function pruneValue<T>(value: T, schema: JSONSchemaProps | undefined): PruneResult<T> {
  const copy = structuredClone(value);
  const unknownFields: string[] = [];
  prune(copy, schema, '', unknownFields);
  return { value: copy, unknownFields };
}

function prune(value: unknown, schema: JSONSchemaProps | undefined, path: string, unknown: string[]): void {
  if (schema?.['x-kubernetes-preserve-unknown-fields']) {
    pruneKnownOnly(value, schema, path, unknown);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => prune(item, schema?.items, `${path}[${i}]`, unknown));
    return;
  }
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) {
    const child = join(path, key);
    if (schema?.['x-kubernetes-embedded-resource'] && isImpliedResourceField(key)) {
      if (key === 'metadata') pruneObjectMeta(value[key], child, unknown);
      continue;
    }
    const property = schema?.properties?.[key];
    if (property) prune(value[key], property, child, unknown);
    else if (schema?.additionalProperties !== undefined)
      prune(value[key], additionalSchema(schema.additionalProperties), child, unknown);
    else {
      unknown.push(child);
      delete value[key];
    }
  }
}

/** Below `x-kubernetes-preserve-unknown-fields`: unknown keys stay, pruning resumes under listed properties. */
function pruneKnownOnly(value: unknown, schema: JSONSchemaProps, path: string, unknown: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (schema.items) pruneKnownOnly(item, schema.items, `${path}[${i}]`, unknown);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) {
    const child = join(path, key);
    if (schema['x-kubernetes-embedded-resource'] && isImpliedResourceField(key)) {
      if (key === 'metadata') pruneObjectMeta(value[key], child, unknown);
      continue;
    }
    const property = schema.properties?.[key];
    if (property) prune(value[key], property, child, unknown);
    else if (schema.additionalProperties !== undefined)
      prune(value[key], additionalSchema(schema.additionalProperties), child, unknown);
  }
}

/** apiVersion, kind and metadata of an embedded resource are never pruned by the schema (metadata by ObjectMeta). */
function isImpliedResourceField(key: string): boolean {
  return key === 'apiVersion' || key === 'kind' || key === 'metadata';
}

function pruneObjectMeta(metadata: unknown, path: string, unknown: string[]): void {
  if (!isObject(metadata)) return;
  for (const key of Object.keys(metadata)) {
    if (OBJECT_META_FIELDS.has(key)) continue;
    unknown.push(join(path, key));
    delete metadata[key];
  }
}

/** `additionalProperties: true` (or false, which is value validation) keeps every key without a schema below. */
function additionalSchema(additional: JSONSchemaProps | boolean): JSONSchemaProps {
  return typeof additional === 'boolean' ? { 'x-kubernetes-preserve-unknown-fields': true } : additional;
}

export interface FieldError {
  /** `credspec.ActiveDirectoryConfig.HostAccountConfig.PluginInput` */
  field: string;
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported';
  /** The text after the field name, as in the Status' `details.causes[].message`. */
  detail: string;
}

/** field.Error.Error(): `credspec.X: Invalid value: "object": credspec.X in body must be of type string: "object"`. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${error.detail}`;
}

/** Validate (after pruning) the way the CRD's OpenAPI v3 schema validator does, for the keywords gMSA CRDs use. */
export function validateAgainstSchema(value: unknown, schema: JSONSchemaProps | undefined, path = ''): FieldError[] {
  if (!schema) return [];
  if (value === null) {
    if (schema.nullable || !schema.type) return [];
    return [typeError(path, schema.type, 'null')];
  }
  const actual = jsonType(value);
  if (schema.type && !typeMatches(schema, actual)) return [typeError(path, schema.type, actual)];
  const errors: FieldError[] = [];
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    errors.push({
      field: path,
      type: 'FieldValueNotSupported',
      detail: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`,
    });
  }
  if (Array.isArray(value))
    value.forEach((item, i) => errors.push(...validateAgainstSchema(item, schema.items, `${path}[${i}]`)));
  else if (isObject(value)) {
    for (const name of schema.required ?? [])
      if (!(name in value))
        errors.push({ field: join(path, name), type: 'FieldValueRequired', detail: 'Required value' });
    for (const [key, child] of Object.entries(value)) {
      const property =
        schema.properties?.[key] ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      errors.push(...validateAgainstSchema(child, property, join(path, key)));
    }
  }
  return errors;
}

function typeMatches(schema: JSONSchemaProps, actual: string): boolean {
  if (schema['x-kubernetes-int-or-string']) return actual === 'string' || actual === 'integer';
  if (schema.type === 'number') return actual === 'number' || actual === 'integer';
  return schema.type === actual;
}

function typeError(path: string, expected: string, actual: string): FieldError {
  return {
    field: path,
    type: 'FieldValueInvalid',
    detail: `Invalid value: ${JSON.stringify(actual)}: ${path} in body must be of type ${expected}: ${JSON.stringify(actual)}`,
  };
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
