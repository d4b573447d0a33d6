import { describe, expect, it } from 'vitest';
import { timesByPerson } from './person-after-hours.js';

describe('timesByPerson (the activity as person.after_hours reads it from SQL)', () => {
  it("reads each row's times, in order, onto its person, whatever the person's id and however SQLite wrote the number", () => {
    const odd = 'a;b,"c"';
    const byPerson = timesByPerson([odd, 'ben', odd, 'cy'], '1795219181553;12,34,5;-7,2.5;1e3');
    expect([...byPerson]).toEqual([
      [odd, [1795219181553, -7, 2.5]],
      ['ben', [12, 34, 5]],
      ['cy', [1000]],
    ]);
    expect(timesByPerson([], '')).toEqual(new Map());
  });
});
