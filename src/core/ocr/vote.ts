/**
 * Several readings of one word, one answer (issue 12): the page's reading and restricted readings of the word's
 * crop, binarised and at other sizes, each get something wrong on their own (a 1× desktop shot's q read as g,
 * a hex 0 read as e, a character dropped); what most of them say is more often right. Pure.
 */

export interface VotedWord {
  /** The characters most readings agree on, one string a character. */
  chars: string[];
  /** Per character: how many readings of the chosen length said it. */
  votes: number[];
  /** How many readings had the chosen length (the most any character can get). */
  voters: number;
  /** Per character: the index of that character in the first reading, or -1 when it took another length. */
  fromFirst: number[];
}

/**
 * The majority reading, character by character. Readings are grouped by length (a reading that dropped or
 * added a character cannot be lined up with the others); the group taken is the one whose vote `isWhole`
 * accepts (a whole code of the site's format), then the largest, then the one holding the earliest reading.
 * Within it, each character is the one most readings say, a tie going to the earliest reading: readings[0]
 * (the page's) first.
 */
export function voteReadings(
  readings: string[][],
  isWhole: (text: string) => boolean = () => false,
): VotedWord {
  const groups = new Map<number, number[]>();
  readings.forEach((reading, index) => {
    if (reading.length === 0) return;
    const members = groups.get(reading.length) ?? [];
    members.push(index);
    groups.set(reading.length, members);
  });
  if (groups.size === 0) return { chars: [], votes: [], voters: 0, fromFirst: [] };
  const candidates = [...groups.values()].map((members) => ({
    members,
    chars: majority(members.map((index) => readings[index]!)),
  }));
  candidates.sort(
    (a, b) =>
      Number(isWhole(b.chars.join(''))) - Number(isWhole(a.chars.join(''))) ||
      b.members.length - a.members.length ||
      a.members[0]! - b.members[0]!,
  );
  const chosen = candidates[0]!;
  const same = chosen.members.map((index) => readings[index]!);
  const firstTaken = chosen.members[0] === 0;
  return {
    chars: chosen.chars,
    votes: chosen.chars.map((char, i) => same.filter((reading) => reading[i] === char).length),
    voters: same.length,
    fromFirst: chosen.chars.map((_, i) => (firstTaken ? i : -1)),
  };
}

/** Per position, the character most of these equally long readings say; a tie goes to the earliest. */
function majority(readings: string[][]): string[] {
  return readings[0]!.map((_, i) => {
    const counts = new Map<string, number>();
    for (const reading of readings) counts.set(reading[i]!, (counts.get(reading[i]!) ?? 0) + 1);
    let best = readings[0]![i]!;
    for (const reading of readings) if (counts.get(reading[i]!)! > counts.get(best)!) best = reading[i]!;
    return best;
  });
}
