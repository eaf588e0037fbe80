/**
 * Issue 12: several readings of one word vote, character by character (src/core/ocr/vote.ts), and the crop
 * is binarised at Otsu's threshold for one of them (src/core/ocr/preprocess.ts).
 */
import { describe, expect, test } from 'vitest';
import { otsu, otsuThreshold } from '../../../src/core/ocr/preprocess';
import { voteReadings } from '../../../src/core/ocr/vote';

const chars = (...readings: string[]) => readings.map((reading) => [...reading]);
const isHexCode = (text: string) => /^[0-9a-f]{5}-[0-9a-f]{5}$/.test(text);

describe('voteReadings', () => {
  test('each character is what most readings say; votes count the readings that said it', () => {
    const voted = voteReadings(chars('rsosgmha', 'rsosqmha', 'rsosqmha', 'rsosgmha', 'rsosqmha'));
    expect(voted.chars.join('')).toBe('rsosqmha');
    expect(voted.voters).toBe(5);
    expect(voted.votes).toEqual([5, 5, 5, 5, 3, 5, 5, 5]);
    expect(voted.fromFirst).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('a tie goes to the earliest reading, the page’s first', () => {
    expect(voteReadings(chars('5678', '5679', '5678', '5679')).chars.join('')).toBe('5678');
    expect(voteReadings(chars('5679', '5678', '5678', '5679')).chars.join('')).toBe('5679');
  });

  test('readings of another length do not vote; the larger group of one length wins', () => {
    const voted = voteReadings(chars('37414-b0c06', '37414-b0c6', '37414-b0c6', '37414-b0c6', '37414-b0c06'));
    expect(voted.chars.join('')).toBe('37414-b0c6');
    expect(voted.voters).toBe(3);
    // The first reading had the other length: no character comes from it.
    expect(voted.fromFirst.every((at) => at === -1)).toBe(true);
  });

  test('a group whose vote is a whole code of the format wins over a larger one', () => {
    const readings = chars('7610-98564', '7610-98564', '7e610-98564', '7610-98564', '7e610-98564');
    expect(voteReadings(readings).chars.join('')).toBe('7610-98564');
    expect(voteReadings(readings, isHexCode).chars.join('')).toBe('7e610-98564');
  });

  test('empty readings do not vote; none at all gives nothing', () => {
    expect(voteReadings(chars('', 'ab12', '')).chars.join('')).toBe('ab12');
    expect(voteReadings(chars('', '')).chars).toEqual([]);
  });
});

describe('otsu', () => {
  test('splits ink from paper between the two greys, whatever their levels', () => {
    const grey = { width: 6, height: 1, data: Uint8Array.from([60, 70, 65, 200, 210, 205]) };
    const threshold = otsuThreshold(grey);
    expect(threshold).toBeGreaterThanOrEqual(70);
    expect(threshold).toBeLessThan(200);
    expect([...otsu(grey).data]).toEqual([0, 0, 0, 255, 255, 255]);
  });
});
