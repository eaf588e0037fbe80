import { describe, expect, test } from 'vitest';
import { attributeLoad, type TraceEvent } from '../bench/support/trace-analysis';

// The bench's page-cost budgets rest on this attribution (design §5): check it on a small trace worked out by
// hand. Times are in µs as in a real trace; one millisecond of CPU is 1000.
const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const SCRIPT = `${EXT}/content-scripts/content.js`;
const PAGE = 'http://localhost:4000/login-5k.html';
const PID = 7;
const MAIN = 1;
const PROFILER = 9;

const x = (name: string, ts: number, dur: number, tdur: number, args?: TraceEvent['args']): TraceEvent => ({
  name,
  ph: 'X',
  pid: PID,
  tid: MAIN,
  ts,
  dur,
  tdur,
  ...(args ? { args } : {}),
});
const task = (ts: number, dur: number, tdur: number) => x('ThreadControllerImpl::RunTask', ts, dur, tdur);

// CPU-profile nodes: 1 root, 2 (program), 3 (idle), 4 a page function, 5 Spare's code, 6 a page function that
// Spare called (a callee of an extension frame: its samples are Spare's).
const NODES = [
  { id: 1, callFrame: { functionName: '(root)', url: '' } },
  { id: 2, parent: 1, callFrame: { functionName: '(program)', url: '' } },
  { id: 3, parent: 1, callFrame: { functionName: '(idle)', url: '' } },
  { id: 4, parent: 1, callFrame: { functionName: 'render', url: PAGE } },
  { id: 5, parent: 1, callFrame: { functionName: 'afterAwait', url: SCRIPT } },
];
// A later chunk brings the nodes first sampled in it; their callers may be in an earlier chunk.
const LATE_NODES = [{ id: 6, parent: 5, callFrame: { functionName: 'querySelectorAll', url: '' } }];

/** Samples at absolute times, written as a Profile and two chunks (times as deltas from startTime). */
function profile(samples: [number, number][]): TraceEvent[] {
  const start = 1_000;
  const deltas = samples.map(([t], i) => t - (i === 0 ? start : samples[i - 1]![0]));
  const half = 2;
  const chunk = (ts: number, from: number, to: number, nodes: unknown[]): TraceEvent => ({
    name: 'ProfileChunk',
    ph: 'P',
    pid: PID,
    tid: PROFILER,
    ts,
    id: '0x1',
    args: {
      data: {
        cpuProfile: { nodes, samples: samples.slice(from, to).map(([, node]) => node) },
        timeDeltas: deltas.slice(from, to),
      },
    },
  });
  return [
    {
      name: 'Profile',
      ph: 'P',
      pid: PID,
      tid: MAIN,
      ts: start,
      id: '0x1',
      args: { data: { startTime: start } },
    },
    // Out of order on purpose: chunks are read by time, and a later chunk may add nodes.
    chunk(90_000, half, samples.length, LATE_NODES),
    chunk(80_000, 0, half, NODES),
  ];
}

function trace(): TraceEvent[] {
  return [
    // Parsing of the page starts at 10 ms; before it, the page's own main world and a tool's world.
    x('LocalWindowProxy::Initialize', 2_000, 1_000, 1_000, { IsMainFrame: true }),
    x('ParseHTML', 10_000, 3_000, 3_000, { beginData: { url: PAGE } }),

    // Task A (10 ms CPU): Spare's content script runs (4 ms), with a v8.run nested in it (not counted twice) and
    // a forced layout inside that (Spare's too).
    task(20_000, 12_000, 10_000),
    x('EvaluateScript', 21_000, 5_000, 4_000, { data: { url: SCRIPT } }),
    x('v8.run', 21_100, 4_500, 3_500, { fileName: SCRIPT, worldName: 'Spare' }),
    x('Layout', 22_000, 1_000, 1_000),

    // Task B (8 ms CPU): Spare's isolated world is created (2 ms, kept apart), then a continuation after an
    // `await` that no event names. Of the four busy samples outside the world creation, three are in Spare's
    // code or its callees, one is the browser's; an idle sample and a Spare sample inside the world creation
    // are left out. Apportioned: (8 − 2) × 3/4 = 4.5 ms.
    task(40_000, 10_000, 8_000),
    x('LocalWindowProxy::Initialize', 40_500, 2_000, 2_000, { IsMainFrame: true }),
    x('RunMicrotasks', 43_000, 6_000, 5_000),

    // Task C (3 ms CPU): a callback in Spare's world, named only by the world (learned from task A's v8.run).
    task(60_000, 3_000, 3_000),
    x('v8.callFunction', 60_100, 1_500, 1_500, { worldName: 'Spare' }),

    // Task D (20 ms CPU): the page's own script, with a child frame's world; the sample is the page's.
    task(70_000, 25_000, 20_000),
    x('FunctionCall', 70_100, 20_000, 18_000, { data: { url: PAGE, functionName: 'render' } }),
    x('LocalWindowProxy::Initialize', 91_000, 1_000, 1_000, { IsMainFrame: false }),

    ...profile([
      [41_000, 5], // inside the world creation: not shared out
      [43_500, 5],
      [44_500, 6],
      [45_000, 3], // idle
      [46_000, 5],
      [47_000, 2],
      [80_000, 4],
    ]),

    // Another renderer with a Spare script and samples of its own: not this page's thread.
    {
      name: 'EvaluateScript',
      ph: 'X',
      pid: PID,
      tid: 2,
      ts: 30_000,
      dur: 50_000,
      tdur: 50_000,
      args: { data: { url: SCRIPT } },
    },
    { name: 'RunTask', ph: 'X', pid: 8, tid: 1, ts: 30_000, dur: 50_000, tdur: 50_000 },
  ];
}

describe('bench attribution of a page load (design §5)', () => {
  const result = attributeLoad(trace(), { pageUrl: PAGE, extensionOrigin: EXT });

  test("Spare's own events count once each, outermost, with what is nested in them", () => {
    // Task A's EvaluateScript (4 ms, its v8.run and Layout inside) + task C's callback found by world name.
    expect(result.ownMs).toBeCloseTo(4 + 1.5, 9);
    expect(result.ownEvents).toBe(2);
    expect(result.worldNames).toEqual(['Spare']);
  });

  test('the rest of a task is apportioned by the share of its busy samples in Spare frames', () => {
    expect(result.apportionedMs).toBeCloseTo(4.5, 9);
    expect(result.samples).toBe(5); // 4 in task B, 1 in task D
    expect(result.extensionSamples).toBe(3);
    expect(result.scriptMs).toBeCloseTo(5.5 + 4.5, 9);
  });

  test('isolated-world creation in the main frame after parsing began is reported apart', () => {
    expect(result.worldMs).toBeCloseTo(2, 9);
    expect(result.worldsCreated).toBe(1);
  });

  test('the percentage is of the rest of the main thread: every top-level task minus script and world', () => {
    // Top-level tasks: the early world (1), ParseHTML (3), A (10), B (8), C (3), D (20) = 45 ms.
    expect(result.mainThreadMs).toBeCloseTo(45, 9);
    expect(result.pageMs).toBeCloseTo(45 - 10 - 2, 9);
    expect(result.scriptPct).toBeCloseTo((100 * 10) / 33, 9);
  });

  test('another extension and a page without Spare attribute nothing', () => {
    const other = attributeLoad(trace(), { pageUrl: PAGE, extensionOrigin: 'chrome-extension://zzzz' });
    expect(other.ownMs).toBe(0);
    expect(other.apportionedMs).toBe(0);
    expect(other.worldNames).toEqual([]);
    // The world is still created (by whoever): it is counted apart, never as script.
    expect(other.worldsCreated).toBe(1);
  });

  test('a trace that never parsed the page is an error, not a zero', () => {
    expect(() =>
      attributeLoad(trace(), { pageUrl: 'http://localhost:4000/other.html', extensionOrigin: EXT }),
    ).toThrow(/no ParseHTML/);
  });
});
