export interface WineRun {
  status: number | null;
  signal: string | null;
  ms: number;
  stdout: string;
  stderr: string;
}
export function wineBinary(): string | undefined;
export function prepareWine(): { wine: string; env: NodeJS.ProcessEnv };
export function runUnderWine(
  exe: string,
  args: string[],
  options?: { env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number },
): WineRun;
