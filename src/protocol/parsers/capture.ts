/** Reading command captures (what a command printed), the same for host and container commands. Pure. */
import type { CommandCapture } from '../../facts/common.js';

/** True when the capture says the program is absent, on the host or inside a container image. */
export function toolMissing(capture: CommandCapture): boolean {
  if (capture.notFound) return true;
  const text = `${capture.stdout}\n${capture.stderr}`;
  return /executable file not found|is not recognized as (the name of a cmdlet|an internal or external command)|The system cannot find the file specified/i.test(
    text,
  );
}

/** Everything a command printed, both streams. */
export function captureText(capture: CommandCapture): string {
  return `${capture.stdout}\n${capture.stderr}`;
}
