/** The Windows container host itself: build, domain membership, host-side commands, CCG plug-ins, spec folder. */
import { z } from 'zod';
import { commandCapture } from './common.js';

export const windowsHost = z.object({
  build: z.number().int(),
  /** Update build revision (the number after the dot in 10.0.17763.5458). */
  ubr: z.number().int().optional(),
  productName: z.string().optional(),
  displayVersion: z.string().optional(),
  computerName: z.string().optional(),
  domainJoined: z.boolean(),
  /** DNS name of the domain the host is joined to. */
  domain: z.string().optional(),
});
export type WindowsHostFacts = z.infer<typeof windowsHost>;

/** Raw output of the host-side commands; checks parse them (so saved facts can be re-judged by newer parsers). */
export const hostCommands = z.object({
  /** `nltest /sc_verify:<domain>` on the host. */
  scVerify: commandCapture.optional(),
  /** `Test-ADServiceAccount <gMSA>` per gMSA name, when PowerShell's AD module is there. */
  testAdServiceAccount: z.record(z.string(), commandCapture).optional(),
});
export type HostCommandFacts = z.infer<typeof hostCommands>;

export const ccgPluginClass = z.object({
  /** Registered under HKLM\SYSTEM\CurrentControlSet\Control\CCG\COMClasses\{GUID}. */
  ccgRegistered: z.boolean(),
  /** Registered under the wrong key HKLM\SYSTEM\CurrentControlSet\CCG\COMClasses (no \Control\). */
  registeredWithoutControl: z.boolean().optional(),
  /** HKLM\SOFTWARE\Classes\CLSID\{GUID} exists. */
  clsidRegistered: z.boolean().optional(),
  /** InprocServer32 or LocalServer32 default value. */
  server: z.string().optional(),
  serverExists: z.boolean().optional(),
});
export type CcgPluginClass = z.infer<typeof ccgPluginClass>;

export const ccgPlugins = z.object({
  /** Every CLSID registered under Control\CCG\COMClasses, upper case with braces. */
  registered: z.array(z.string()),
  /** Per PluginGUID named in a credential spec. */
  classes: z.record(z.string(), ccgPluginClass),
});
export type CcgPluginFacts = z.infer<typeof ccgPlugins>;

/** The files in <DockerRootDir>\CredentialSpecs. */
export const credentialSpecsFolder = z.object({ dir: z.string(), files: z.array(z.string()) });
export type CredentialSpecsFolder = z.infer<typeof credentialSpecsFolder>;
