import { safeText } from '@teamstate/core';

/**
 * A person as the CLI names them: `Ana Garcia (ana-garcia)`, or the id alone when the name is the id (the pseudonym
 * an erased person's activity is kept under is both: `erased-3f9c2a17b04e`, not `erased-… (erased-…)`). The name is
 * data: shown on one line, without escapes.
 */
export function personLabel(person: { id: string; name: string }): string {
  const name = safeText(person.name, { singleLine: true, maxLength: 80 });
  return name === person.id || name.trim() === '' ? person.id : `${name} (${person.id})`;
}
