/** Small string helpers the recognisers share; cheap tests that let them skip most lines of a large paste. */

/** The first character that is not a blank, within the indentation a paste plausibly has (or ''). */
export function firstNonBlank(text: string): string {
  for (let i = 0; i < text.length && i < 16; i++) {
    const c = text[i]!;
    if (c !== ' ' && c !== '\t') return c;
  }
  return '';
}
