import { describe, expect, it } from 'vitest';
import { personLabel } from '../src/person-label.js';

describe('personLabel', () => {
  it('names a person by name and id, and one whose name is the id (an erased pseudonym) once', () => {
    expect(personLabel({ id: 'ana-garcia', name: 'Ana Garcia' })).toBe('Ana Garcia (ana-garcia)');
    expect(personLabel({ id: 'erased-3f9c2a17b04e', name: 'erased-3f9c2a17b04e' })).toBe('erased-3f9c2a17b04e');
    expect(personLabel({ id: 'bot', name: '' })).toBe('bot');
  });

  it('shows the name as data: one line, no escape sequences', () => {
    expect(personLabel({ id: 'x', name: 'Eve\u001b[2K\nMallory' })).toBe('Eve\\nMallory (x)');
  });
});
