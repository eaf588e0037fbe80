import { expect, test } from 'vitest';
test('dom', () => expect(document.createElement('input').tagName).toBe('INPUT'));
