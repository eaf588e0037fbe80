import { expect, test } from 'vitest';
test('core', () => expect(typeof globalThis.window).toBe('undefined'));
