import { safeText } from '@teamstate/core';

/**
 * A field of digest text that came from people or upstream (a title, a name, a status): one line, no escape
 * sequences or control characters, at most 200 characters, so a title cannot fake a section of the digest.
 */
export const field = (value: string | null | undefined): string => safeText(value ?? '', { singleLine: true, maxLength: 200 });
