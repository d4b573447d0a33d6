import { describe, expect, it } from 'vitest';
import { timesByPerson } from '../src/signals/person-after-hours.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('timesByPerson (the activity as person.after_hours reads it from SQL)', () => {
  it("reads each row's times, in order, onto its person, whatever the person's id and however SQLite wrote the number", () => {
    const odd = 'a;b,"c"';
    const byPerson = timesByPerson([odd, 'ben', odd, 'cy'], bytes('1795219181553;12,34,5;-7,2.5;1e3'));
    expect([...byPerson]).toEqual([
      [odd, [1795219181553, -7, 2.5]],
      ['ben', [12, 34, 5]],
      ['cy', [1000]],
    ]);
    expect(timesByPerson([], bytes(''))).toEqual(new Map());
  });

  it('refuses texts that do not line up (a row without times, more rows than people) instead of reading zeros', () => {
    expect(() => timesByPerson(['ana', 'ben'], bytes('12'))).toThrow(/row 2 of 2 has no time/);
    expect(() => timesByPerson(['ana'], bytes('1,,2'))).toThrow(/row 1 of 1 has no time/);
    expect(() => timesByPerson(['ana'], bytes('1;2'))).toThrow(/more rows of times than the 1 people/);
    expect(() => timesByPerson([], bytes('5'))).toThrow(/more rows of times than the 0 people/);
  });
});
