/**
 * Attribution of one page load's renderer main-thread CPU to an extension, from a Chrome trace of that load
 * (design §5). Pure: it reads trace events and nothing else, so it runs in Node and is unit-tested
 * (tests/core/bench-attribution.test.ts). The browser side, which records the trace, is ../attribution.ts.
 *
 * On the renderer main thread that parsed the page, with thread-CPU durations (`tdur`):
 * 1. `ownMs`: the outermost events that carry the extension's `chrome-extension://<id>/` URL or its
 *    isolated-world name, everything nested in them included;
 * 2. `apportionedMs`: per top-level task, the task's CPU outside (1) and outside (3), times the share of the
 *    V8 CPU-profile samples taken there whose stack holds an extension frame (continuations after an
 *    `await`, which no event names);
 * 3. `worldMs`: creating isolated worlds in the main frame after parsing began (`LocalWindowProxy::Initialize`),
 *    reported apart: every content script pays it.
 * `scriptPct` = (1 + 2) as a percentage of the rest of the load's main-thread CPU (all of it minus 1, 2 and 3).
 */

/** The fields of a Chrome trace event this analysis reads (JSON trace format, times in µs). */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread-CPU duration; when a trace lacks it, the wall duration stands in. */
  tdur?: number;
  id?: string | number;
  cat?: string;
  // Trace arguments are free-form JSON.
  args?: Record<string, unknown>;
}

/** Events that run script and may carry the script's URL or the world it runs in. */
export const SCRIPT_EVENT_NAMES: ReadonlySet<string> = new Set([
  'EvaluateScript',
  'v8.compile',
  'v8.run',
  'v8.callFunction',
  'v8.compileModule',
  'v8.evaluateModule',
  'FunctionCall',
  'TimerFire',
  'EventDispatch',
  'FireAnimationFrame',
]);

export const WORLD_CREATION_EVENT = 'LocalWindowProxy::Initialize';

export interface AttributionOptions {
  /** The URL the page was loaded from, exactly as the trace's `ParseHTML` reports it. */
  pageUrl: string;
  /** `chrome-extension://<id>` (a trailing slash is optional). */
  extensionOrigin: string;
  /** World names known in advance; names are also learned from events that carry the extension's URL. */
  worldNames?: readonly string[];
}

export interface LoadAttribution {
  /** (1) CPU ms of the outermost extension events. */
  ownMs: number;
  /** (2) CPU ms apportioned from the rest of each task by the extension's share of its samples. */
  apportionedMs: number;
  /** (1) + (2): what `script_pct_*` takes. */
  scriptMs: number;
  /** (3) CPU ms of isolated-world creation in the main frame after parsing began. */
  worldMs: number;
  /** How many such worlds were created. */
  worldsCreated: number;
  /** CPU ms of every top-level task on the page's main thread during the trace. */
  mainThreadMs: number;
  /** `mainThreadMs` − script − world: the page's own CPU. */
  pageMs: number;
  /** 100 × scriptMs / pageMs. */
  scriptPct: number;
  /** Outermost extension events found (0: no script of the extension ran in the page's main frame thread). */
  ownEvents: number;
  /** Isolated-world names seen on the extension's events. */
  worldNames: string[];
  /** V8 samples inside top-level tasks and outside (1) and (3), and how many of them had an extension frame. */
  samples: number;
  extensionSamples: number;
}

interface Span {
  ts: number;
  end: number;
  cpu: number;
}

interface Task extends Span {
  own: Span[];
  worlds: Span[];
}

interface Sample {
  t: number;
  extension: boolean;
  idle: boolean;
}

const cpuMs = (e: TraceEvent): number => (Number.isFinite(e.tdur) ? e.tdur! : e.dur!) / 1000;
const within = (t: number, spans: readonly Span[]) => spans.some((s) => t >= s.ts && t < s.end);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Every URL an event names for the script it runs: `data.url`, `fileName`, the top of a stack trace. */
function urlsOf(e: TraceEvent): string[] {
  const data = record(e.args?.['data']);
  const urls = [data?.['url'], e.args?.['fileName'], data?.['scriptName']];
  const stack = data?.['stackTrace'];
  if (Array.isArray(stack)) urls.push(record(stack[0])?.['url']);
  return urls.filter((u): u is string => typeof u === 'string');
}

function worldNameOf(e: TraceEvent): string | undefined {
  const name = e.args?.['worldName'] ?? record(e.args?.['data'])?.['worldName'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** The trace's V8 CPU-profile samples of the thread (pid, tid), in time order. */
export function profileSamples(
  events: readonly TraceEvent[],
  pid: number,
  tid: number,
  isExtensionUrl: (url: string) => boolean,
): Sample[] {
  const samples: Sample[] = [];
  // A Profile event names the sampled thread; its ProfileChunks come from the profiler's own thread.
  for (const profile of events.filter((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid)) {
    const chunks = events
      .filter((e) => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile.id)
      .sort((a, b) => a.ts - b.ts);
    const nodes = new Map<number, { parent?: number; url?: string; fn?: string; extension?: boolean }>();
    const raw: { t: number; node: number }[] = [];
    let t = Number(record(profile.args?.['data'])?.['startTime'] ?? profile.ts);
    for (const chunk of chunks) {
      const data = record(chunk.args?.['data']);
      const cpuProfile = record(data?.['cpuProfile']);
      for (const n of (cpuProfile?.['nodes'] ?? []) as {
        id: number;
        parent?: number;
        callFrame?: { url?: string; functionName?: string };
      }[]) {
        nodes.set(n.id, { parent: n.parent, url: n.callFrame?.url, fn: n.callFrame?.functionName });
      }
      const ids = (cpuProfile?.['samples'] ?? []) as number[];
      const deltas = (data?.['timeDeltas'] ?? []) as number[];
      for (let i = 0; i < ids.length; i++) {
        t += deltas[i] ?? 0;
        raw.push({ t, node: ids[i]! });
      }
    }
    // Whether a node's stack (the node and its callers) holds an extension frame; memoised along the path.
    const hasExtensionFrame = (id: number): boolean => {
      const path = [];
      let found = false;
      for (let n = nodes.get(id); n; n = n.parent === undefined ? undefined : nodes.get(n.parent)) {
        if (n.extension !== undefined) {
          found = n.extension;
          break;
        }
        path.push(n);
        if (n.url && isExtensionUrl(n.url)) {
          found = true;
          break;
        }
      }
      for (const n of path) n.extension = found;
      return found;
    };
    for (const s of raw) {
      samples.push({
        t: s.t,
        extension: hasExtensionFrame(s.node),
        idle: nodes.get(s.node)?.fn === '(idle)',
      });
    }
  }
  return samples.sort((a, b) => a.t - b.t);
}

export function attributeLoad(events: readonly TraceEvent[], options: AttributionOptions): LoadAttribution {
  const prefix = options.extensionOrigin.replace(/\/?$/, '/');
  const isExtensionUrl = (url: string) => url.startsWith(prefix);

  // The main thread is the one that parsed the page; parsing starts at its first ParseHTML.
  const parses = events.filter(
    (e) => e.name === 'ParseHTML' && record(e.args?.['beginData'])?.['url'] === options.pageUrl,
  );
  if (parses.length === 0) throw new Error(`no ParseHTML of ${options.pageUrl} in the trace`);
  const { pid, tid } = parses[0]!;
  const parseStart = Math.min(...parses.filter((e) => e.pid === pid && e.tid === tid).map((e) => e.ts));

  // Complete events of that thread, outer before inner: by start, then the longer first.
  const main = events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && Number.isFinite(e.dur))
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);

  const worldNames = new Set(options.worldNames ?? []);
  for (const e of main) {
    const world = worldNameOf(e);
    if (world && urlsOf(e).some(isExtensionUrl)) worldNames.add(world);
  }
  const isOwnEvent = (e: TraceEvent) => {
    if (!SCRIPT_EVENT_NAMES.has(e.name)) return false;
    const world = worldNameOf(e);
    return urlsOf(e).some(isExtensionUrl) || (world !== undefined && worldNames.has(world));
  };
  const isMainFrameWorldCreation = (e: TraceEvent) =>
    e.name === WORLD_CREATION_EVENT && e.ts >= parseStart && e.args?.['IsMainFrame'] !== false;

  // One pass: top-level tasks, the outermost extension events and world creations inside them. An event is
  // nested in another when it starts before that one ends (a thread's events nest properly).
  const tasks: Task[] = [];
  let task: Task | undefined;
  let claimed: Span | undefined; // the latest extension event or world creation: its nested events are its own
  for (const e of main) {
    const span: Span = { ts: e.ts, end: e.ts + e.dur!, cpu: cpuMs(e) };
    if (!task || e.ts >= task.end) {
      task = { ...span, own: [], worlds: [] };
      tasks.push(task);
    }
    if (claimed && e.ts < claimed.end) continue;
    if (isOwnEvent(e)) task.own.push((claimed = span));
    else if (isMainFrameWorldCreation(e)) task.worlds.push((claimed = span));
  }

  const samples = profileSamples(events, pid, tid, isExtensionUrl);
  let ownMs = 0;
  let apportionedMs = 0;
  let worldMs = 0;
  let worldsCreated = 0;
  let mainThreadMs = 0;
  let ownEvents = 0;
  let counted = 0;
  let extensionSamples = 0;
  let next = 0;
  for (const t of tasks) {
    const own = t.own.reduce((sum, s) => sum + s.cpu, 0);
    const world = t.worlds.reduce((sum, s) => sum + s.cpu, 0);
    mainThreadMs += t.cpu;
    ownMs += own;
    worldMs += world;
    worldsCreated += t.worlds.length;
    ownEvents += t.own.length;
    // Samples in this task outside what is already attributed; idle samples mean no CPU to share.
    while (next < samples.length && samples[next]!.t < t.ts) next++;
    let all = 0;
    let extension = 0;
    for (let i = next; i < samples.length && samples[i]!.t < t.end; i++) {
      const s = samples[i]!;
      if (s.idle || within(s.t, t.own) || within(s.t, t.worlds)) continue;
      all++;
      if (s.extension) extension++;
    }
    counted += all;
    extensionSamples += extension;
    if (extension > 0) apportionedMs += (Math.max(0, t.cpu - own - world) * extension) / all;
  }
  const scriptMs = ownMs + apportionedMs;
  const pageMs = mainThreadMs - scriptMs - worldMs;
  return {
    ownMs,
    apportionedMs,
    scriptMs,
    worldMs,
    worldsCreated,
    mainThreadMs,
    pageMs,
    scriptPct: pageMs > 0 ? (100 * scriptMs) / pageMs : NaN,
    ownEvents,
    worldNames: [...worldNames],
    samples: counted,
    extensionSamples,
  };
}
