/**
 * Kerberos through SSPI (secur32.dll) on Windows, called through the koffi FFI: the logged-on identity (or the
 * machine's, when run as SYSTEM) binds without a password, as Windows' own LDAP client does. Under Wine, secur32
 * hands Kerberos to the Linux GSS-API library, so the same code runs against a real KDC from a Linux ccache.
 */
import { decodeNumber } from '../../protocol/status/index.js';
import { loadKoffi } from './koffi.js';
import type { Koffi, KoffiPointer, KoffiType } from './koffi.js';
import type { SecurityContext, SecurityContextProvider } from './security-context.js';

const SEC_E_OK = 0;
const SEC_I_CONTINUE_NEEDED = 0x00090312;
const SECPKG_CRED_OUTBOUND = 2;
const ISC_REQ_MUTUAL_AUTH = 0x2;
const ISC_REQ_SEQUENCE_DETECT = 0x8;
/** Room for any Kerberos token: Windows caps MaxTokenSize at 65535 (48000 by default). */
const MAX_TOKEN = 65536;
const SECURITY_NATIVE_DREP = 0x10;
const SECBUFFER_DATA = 1;
const SECBUFFER_TOKEN = 2;
const SECBUFFER_PADDING = 9;
const SECBUFFER_STREAM = 10;
const SECPKG_ATTR_SIZES = 0;
const SECPKG_ATTR_NAMES = 1;
/** EncryptMessage quality of protection: sign only (gss_wrap with conf_req_flag 0). */
const KERB_WRAP_NO_ENCRYPT = 0x80000001;

/** An SSPI status as a person reads it: the header's name, what it means, the value. */
export function describeSspiStatus(status: number): string {
  const [decoded] = decodeNumber(status >>> 0);
  const hex = `0x${(status >>> 0).toString(16).padStart(8, '0')}`;
  return decoded?.name ? `${decoded.name}: ${decoded.meaning ?? decoded.text} (${hex})` : `SSPI status ${hex}`;
}

export class SspiError extends Error {
  constructor(
    readonly call: string,
    readonly status: number,
  ) {
    super(`${call}: ${describeSspiStatus(status)}`);
  }
}

interface SecBufferValue {
  cbBuffer: number;
  BufferType: number;
  pvBuffer: KoffiPointer | null;
}

/** The secur32.dll functions and structures, bound once. */
class Secur32 {
  readonly SecHandle: KoffiType;
  readonly SecBuffer: KoffiType;
  private readonly SecBufferDesc: KoffiType;
  private readonly Sizes: KoffiType;
  readonly acquireCredentialsHandle: (...args: unknown[]) => unknown;
  readonly initializeSecurityContext: AsyncCapable;
  readonly encryptMessage: (...args: unknown[]) => unknown;
  readonly decryptMessage: (...args: unknown[]) => unknown;
  private readonly queryContextAttributes: (...args: unknown[]) => unknown;
  readonly freeContextBuffer: (...args: unknown[]) => unknown;
  readonly deleteSecurityContext: (...args: unknown[]) => unknown;
  readonly freeCredentialsHandle: (...args: unknown[]) => unknown;

  /**
   * Wine's Kerberos package lays a wrap token out as DATA then TOKEN (the gss_wrap output cut in two:
   * dlls/kerberos/unixlib.c), and knows no SECBUFFER_STREAM; Windows puts the header first (TOKEN, DATA, PADDING).
   */
  readonly wine: boolean;

  constructor(readonly koffi: Koffi) {
    const lib = koffi.load('secur32.dll');
    this.wine = isWine(koffi);
    this.SecHandle = koffi.struct('SecHandle', { dwLower: 'uintptr_t', dwUpper: 'uintptr_t' });
    this.SecBuffer = koffi.struct('SecBuffer', { cbBuffer: 'uint32', BufferType: 'uint32', pvBuffer: 'void *' });
    this.SecBufferDesc = koffi.struct('SecBufferDesc', { ulVersion: 'uint32', cBuffers: 'uint32', pBuffers: 'void *' });
    this.Sizes = koffi.struct('SecPkgContext_Sizes', {
      cbMaxToken: 'uint32',
      cbMaxSignature: 'uint32',
      cbBlockSize: 'uint32',
      cbSecurityTrailer: 'uint32',
    });
    const TimeStamp = koffi.struct('TimeStamp', { LowPart: 'uint32', HighPart: 'int32' });
    const handle = koffi.pointer(this.SecHandle);
    const desc = koffi.pointer(this.SecBufferDesc);
    this.acquireCredentialsHandle = lib.func('__stdcall', 'AcquireCredentialsHandleW', 'int32', [
      'str16',
      'str16',
      'uint32',
      'void *',
      'void *',
      'void *',
      'void *',
      koffi.out(handle),
      koffi.out(koffi.pointer(TimeStamp)),
    ]);
    this.initializeSecurityContext = lib.func('__stdcall', 'InitializeSecurityContextW', 'int32', [
      handle,
      handle,
      'str16',
      'uint32',
      'uint32',
      'uint32',
      desc,
      'uint32',
      koffi.out(handle),
      desc,
      koffi.out(koffi.pointer('uint32')),
      koffi.out(koffi.pointer(TimeStamp)),
    ]);
    this.encryptMessage = lib.func('__stdcall', 'EncryptMessage', 'int32', [handle, 'uint32', desc, 'uint32']);
    this.decryptMessage = lib.func('__stdcall', 'DecryptMessage', 'int32', [
      handle,
      desc,
      'uint32',
      koffi.out(koffi.pointer('uint32')),
    ]);
    this.queryContextAttributes = lib.func('__stdcall', 'QueryContextAttributesW', 'int32', [
      handle,
      'uint32',
      'void *',
    ]);
    this.freeContextBuffer = lib.func('__stdcall', 'FreeContextBuffer', 'int32', ['void *']);
    this.deleteSecurityContext = lib.func('__stdcall', 'DeleteSecurityContext', 'int32', [handle]);
    this.freeCredentialsHandle = lib.func('__stdcall', 'FreeCredentialsHandle', 'int32', [handle]);
  }

  /** Native memory holding `buffers`; read back with readBuffers after the call, then free. */
  bufferDesc(buffers: SecBufferValue[]): { desc: object; array: KoffiPointer } {
    const array = this.koffi.alloc(this.SecBuffer, buffers.length);
    this.koffi.encode(array, this.SecBuffer, buffers, buffers.length);
    return { desc: { ulVersion: 0, cBuffers: buffers.length, pBuffers: array }, array };
  }

  readBuffers(array: KoffiPointer, count: number): SecBufferValue[] {
    return this.koffi.decode(array, this.SecBuffer, count) as SecBufferValue[];
  }

  /** Native memory with a copy of `bytes` (at least one byte, so that the pointer is never null). */
  copyIn(bytes: Uint8Array, size = bytes.length): KoffiPointer {
    const pointer = this.koffi.alloc('uint8', Math.max(size, 1));
    new Uint8Array(this.koffi.view(pointer, Math.max(size, 1))).set(bytes);
    return pointer;
  }

  copyOut(pointer: KoffiPointer | null, length: number): Uint8Array {
    return pointer && length > 0
      ? Uint8Array.from(new Uint8Array(this.koffi.view(pointer, length)))
      : new Uint8Array(0);
  }

  sizes(context: object): { cbBlockSize: number; cbSecurityTrailer: number } {
    const out = this.koffi.alloc(this.Sizes, 1);
    try {
      check('QueryContextAttributesW(SIZES)', this.queryContextAttributes(context, SECPKG_ATTR_SIZES, out) as number);
      return this.koffi.decode(out, this.Sizes) as { cbBlockSize: number; cbSecurityTrailer: number };
    } finally {
      this.koffi.free(out);
    }
  }

  userName(context: object): string | undefined {
    const out = this.koffi.alloc('void *', 1);
    try {
      if ((this.queryContextAttributes(context, SECPKG_ATTR_NAMES, out) as number) !== SEC_E_OK) return undefined;
      const name = this.koffi.decode(out, 'void *') as KoffiPointer | null;
      if (!name) return undefined;
      const text = this.koffi.decode(name, 'str16') as string;
      this.freeContextBuffer(name);
      return text || undefined;
    } finally {
      this.koffi.free(out);
    }
  }
}

/** Runs `work` now, its result or error as a promise. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

type AsyncCapable = ((...args: unknown[]) => unknown) & { async?: (...args: unknown[]) => void };

/** koffi's `.async` form runs the call on a worker thread and reports through a callback. */
function callAsync(fn: AsyncCapable, ...args: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    if (!fn.async) {
      resolve(fn(...args) as number);
      return;
    }
    fn.async(...args, (error: Error | null, result: number) => (error ? reject(error) : resolve(result)));
  });
}

function isWine(koffi: Koffi): boolean {
  try {
    koffi.load('ntdll.dll').func('__stdcall', 'wine_get_version', 'str', []);
    return true;
  } catch {
    return false;
  }
}

function check(call: string, status: number): void {
  if (status !== SEC_E_OK) throw new SspiError(call, status);
}

let secur32: Secur32 | undefined;

export async function loadSspiProvider(): Promise<SecurityContextProvider> {
  secur32 ??= new Secur32(await loadKoffi());
  const api = secur32;
  return {
    name: 'SSPI (secur32.dll)',
    create: (hostName) => settle(() => new SspiContext(api, `ldap/${hostName}`)),
  };
}

class SspiContext implements SecurityContext {
  private readonly credentials: object = {};
  private context: object | undefined;
  private established = false;

  constructor(
    private readonly api: Secur32,
    private readonly target: string,
  ) {
    check(
      'AcquireCredentialsHandleW(Kerberos)',
      api.acquireCredentialsHandle(
        null,
        'Kerberos',
        SECPKG_CRED_OUTBOUND,
        null,
        null,
        null,
        null,
        this.credentials,
        {},
      ) as number,
    );
  }

  get complete(): boolean {
    return this.established;
  }

  async step(serverToken?: Uint8Array): Promise<Uint8Array> {
    const { api } = this;
    const input = serverToken ? api.copyIn(serverToken) : undefined;
    const inputDesc =
      input && serverToken
        ? api.bufferDesc([{ cbBuffer: serverToken.length, BufferType: SECBUFFER_TOKEN, pvBuffer: input }])
        : undefined;
    const outputMemory = api.copyIn(new Uint8Array(0), MAX_TOKEN);
    const output = api.bufferDesc([{ cbBuffer: MAX_TOKEN, BufferType: SECBUFFER_TOKEN, pvBuffer: outputMemory }]);
    const next: object = {};
    try {
      const flags = ISC_REQ_MUTUAL_AUTH | ISC_REQ_SEQUENCE_DETECT;
      // Off the event loop: InitializeSecurityContext may wait for the KDC.
      const status =
        (await callAsync(
          api.initializeSecurityContext,
          this.credentials,
          this.context ?? null,
          this.target,
          flags,
          0,
          SECURITY_NATIVE_DREP,
          inputDesc?.desc ?? null,
          0,
          next,
          output.desc,
          [0],
          {},
        )) >>> 0;
      if (status !== SEC_E_OK && status !== SEC_I_CONTINUE_NEEDED)
        throw new SspiError(`InitializeSecurityContextW(${this.target})`, status);
      this.context = next;
      this.established = status === SEC_E_OK;
      const [token] = api.readBuffers(output.array, 1);
      return api.copyOut(outputMemory, token?.cbBuffer ?? 0);
    } finally {
      api.koffi.free(output.array);
      api.koffi.free(outputMemory);
      if (inputDesc) api.koffi.free(inputDesc.array);
      if (input) api.koffi.free(input);
    }
  }

  unwrap(token: Uint8Array): Promise<Uint8Array> {
    return settle(() => this.unwrapNow(token));
  }

  private unwrapNow(token: Uint8Array): Uint8Array {
    const { api } = this;
    const stream = api.copyIn(token);
    const empty = api.copyIn(new Uint8Array(0));
    const buffers = api.bufferDesc(
      api.wine
        ? [
            { cbBuffer: token.length, BufferType: SECBUFFER_DATA, pvBuffer: stream },
            { cbBuffer: 0, BufferType: SECBUFFER_TOKEN, pvBuffer: empty },
          ]
        : [
            { cbBuffer: token.length, BufferType: SECBUFFER_STREAM, pvBuffer: stream },
            { cbBuffer: 0, BufferType: SECBUFFER_DATA, pvBuffer: null },
          ],
    );
    try {
      check('DecryptMessage', api.decryptMessage(this.establishedContext(), buffers.desc, 0, [0]) as number);
      const data = api.readBuffers(buffers.array, 2).find((b) => b.BufferType === SECBUFFER_DATA);
      return api.copyOut(data?.pvBuffer ?? null, data?.cbBuffer ?? 0);
    } finally {
      api.koffi.free(buffers.array);
      api.koffi.free(stream);
      api.koffi.free(empty);
    }
  }

  wrap(message: Uint8Array): Promise<Uint8Array> {
    return settle(() => this.wrapNow(message));
  }

  private wrapNow(message: Uint8Array): Uint8Array {
    const { api } = this;
    const context = this.establishedContext();
    const { cbSecurityTrailer, cbBlockSize } = api.sizes(context);
    const memory = [
      api.copyIn(new Uint8Array(0), cbSecurityTrailer),
      api.copyIn(message),
      api.copyIn(new Uint8Array(0), cbBlockSize),
    ];
    const buffers = api.bufferDesc([
      { cbBuffer: cbSecurityTrailer, BufferType: SECBUFFER_TOKEN, pvBuffer: memory[0]! },
      { cbBuffer: message.length, BufferType: SECBUFFER_DATA, pvBuffer: memory[1]! },
      { cbBuffer: cbBlockSize, BufferType: SECBUFFER_PADDING, pvBuffer: memory[2]! },
    ]);
    try {
      check('EncryptMessage', api.encryptMessage(context, KERB_WRAP_NO_ENCRYPT, buffers.desc, 0) as number);
      const [header, data, padding] = api.readBuffers(buffers.array, 3).map((b) => api.copyOut(b.pvBuffer, b.cbBuffer));
      return Uint8Array.from(Buffer.concat(api.wine ? [data!, header!] : [header!, data!, padding!]));
    } finally {
      api.koffi.free(buffers.array);
      for (const pointer of memory) api.koffi.free(pointer);
    }
  }

  principal(): string | undefined {
    return this.context ? this.api.userName(this.context) : undefined;
  }

  dispose(): void {
    if (this.context) this.api.deleteSecurityContext(this.context);
    this.api.freeCredentialsHandle(this.credentials);
    this.context = undefined;
  }

  private establishedContext(): object {
    if (!this.context || !this.established) throw new Error('the SSPI context is not established yet');
    return this.context;
  }
}
