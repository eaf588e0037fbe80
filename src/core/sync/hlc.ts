/**
 * A hybrid logical clock (Kulkarni et al., 2014) for sync (issue 11). A stamp is the device's wall time in
 * milliseconds, a counter and the replica id. Wall time keeps stamps close to real time, so "last writer wins"
 * means what the user expects; the counter and `receive` make every stamp issued after seeing another device's
 * state larger than everything in it, so a device whose clock runs behind can still overwrite an edit it has
 * seen. The replica id breaks the last ties: two stamps are equal only if the same replica issued them.
 */

export interface Stamp {
  /** Milliseconds since the epoch: the largest wall time this replica has seen (its own clock or another's). */
  wall: number;
  /** Orders events within one millisecond of `wall`. */
  counter: number;
  /** The device that issued the stamp: random, and never reused by another device. */
  replica: string;
}

/** A replica's clock is the last stamp it issued or saw, under its own replica id. */
export type Clock = Stamp;

export function startClock(replica: string, now = 0): Clock {
  return { wall: now, counter: 0, replica };
}

/** Total order: wall time, then counter, then replica id. */
export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  if (a.replica === b.replica) return 0;
  return a.replica < b.replica ? -1 : 1;
}

export function laterStamp(a: Stamp, b: Stamp): Stamp {
  return compareStamps(a, b) >= 0 ? a : b;
}

/** A stamp for a local event at wall time `now`; always after every stamp this clock issued or saw. */
export function tick(local: Clock, now: number): Clock {
  if (now > local.wall) return { wall: now, counter: 0, replica: local.replica };
  return { wall: local.wall, counter: local.counter + 1, replica: local.replica };
}

/** The clock after seeing `remote` at wall time `now`: after both, so the next local stamp beats `remote`. */
export function receive(local: Clock, remote: Stamp, now: number): Clock {
  const wall = Math.max(local.wall, remote.wall, now);
  let counter = 0;
  if (wall === local.wall && wall === remote.wall) counter = Math.max(local.counter, remote.counter) + 1;
  else if (wall === local.wall) counter = local.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  return { wall, counter, replica: local.replica };
}

/** A stamp as a map key; equal keys mean equal stamps. */
export function stampKey(stamp: Stamp): string {
  return `${stamp.wall}.${stamp.counter}.${stamp.replica}`;
}
