/** `1 report`, `2 reports`: a count with its noun, for the CLI's sentences. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
