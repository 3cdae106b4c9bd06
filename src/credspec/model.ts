/** The shape of a credential spec, as New-CredentialSpec writes it and CCG reads it. */
export interface GmsaEntry {
  Name: string;
  Scope: string;
}

export interface HostAccountConfig {
  PortableCcgVersion?: string;
  PluginGUID?: string;
  /** A secret-bearing string for the plugin (an object in the AWS ECS convention). Never printed. */
  PluginInput?: unknown;
}

export interface CredSpec {
  CmsPlugins?: string[];
  DomainJoinConfig?: {
    Sid?: string;
    MachineAccountName?: string;
    Guid?: string;
    DnsTreeName?: string;
    DnsName?: string;
    NetBiosName?: string;
  };
  ActiveDirectoryConfig?: {
    GroupManagedServiceAccounts?: GmsaEntry[];
    HostAccountConfig?: HostAccountConfig;
  };
}

export type SourceFormat = 'json' | 'yaml';

/** One credential spec found in a file: a JSON file holds one, a YAML file may hold several resources. */
export interface CredSpecDocument {
  file: string;
  format: SourceFormat;
  /** 0-based index of the document within a multi-document YAML file. */
  index: number;
  /** The credential spec itself (for a Kubernetes resource, its `credspec` value), as parsed: unknown shape. */
  spec: unknown;
  /** Present when the document is a Kubernetes GMSACredentialSpec resource (or tried to be one). */
  k8s?: {
    apiVersion?: unknown;
    kind?: unknown;
    name?: unknown;
    /** Size of the resource's source text in bytes. */
    sizeBytes: number;
  };
  /** Field path of the credential spec inside the document: '' for a JSON file, 'credspec' for a resource. */
  specPath: string;
  /** Line and column (1-based) of each value, by field path (`DomainJoinConfig.Sid`, `credspec.CmsPlugins[0]`). */
  positions: Record<string, Position>;
  /** Structural problems the parser saw (duplicate keys, glued resources), judged by the rules. */
  notes: ParseNote[];
}

export interface Position {
  line: number;
  column: number;
}

export interface ParseNote {
  kind: 'duplicate-key' | 'glued-documents';
  message: string;
  field: string;
  position: Position;
}

/** A file that was given but could not be read or parsed at all (not a credential spec problem). */
export interface CredSpecReadError {
  file: string;
  /** missing/unreadable: the file could not be read; syntax: it is not valid JSON/YAML; empty: no spec in it. */
  kind: 'missing' | 'unreadable' | 'syntax' | 'empty';
  reason: string;
  position?: Position;
}

declare module '../engine/facts.js' {
  interface FactTypes {
    /** Every credential spec document found in the given files. */
    'credspec.documents': CredSpecDocument[];
    /** Files that were given but hold no readable credential spec. */
    'credspec.readErrors': CredSpecReadError[];
  }
}

/** A `--security-opt credentialspec=...` value as Docker would resolve it on the host. */
export interface SecurityOptFact {
  option: string;
  /** Where a file:// spec resolves, when the Docker root directory is known. */
  resolvedPath?: string;
  exists?: boolean;
}

declare module '../engine/facts.js' {
  interface FactTypes {
    /** Docker's root directory (docker info DockerRootDir); credential specs live in its CredentialSpecs folder. */
    'docker.rootDir': string;
    'credspec.securityOpts': SecurityOptFact[];
  }
}
