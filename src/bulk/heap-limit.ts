/**
 * A long record run's memory (`databoom history`, `… --ndjson`; issue 21, README › Performance).
 *
 * Such a run's live heap is small and flat (8–16 MB after every full collection, at 1,000,000
 * rows as at 10,000,000), but it allocates fast, and V8 sizes its heap for that: its young
 * generation grows to its largest (32 MB on Node 20 and 22; Node 24 lets it grow to 128 MB, over
 * half of the run's memory there), and the old generation may grow to up to four times the live
 * heap before a full collection (a run that met that peaked 40 MB higher). The peak RSS was the
 * collector's headroom, not evsend's data. For the run's length two of V8's flags that V8 reads
 * as it goes (not only at start-up) hold it near the working size:
 *
 * - the young generation stops growing once it holds 16 MB (`--semi-space-growth-factor=1`;
 *   V8 starts its two semi-spaces at 1 MB and doubles them as objects survive);
 * - the old generation may grow to twice the live heap before a full collection
 *   (`--heap-growing-percent=100`), not up to four times. Without it the smaller young
 *   generation, which promotes more, would only move the headroom to the old one.
 *
 * It costs CPU on Node 20 and 22 (~10%: the ~1 MB of rows still being batched is copied at every
 * scavenge, and there are twice as many), next to nothing on Node 24 (README › Performance and
 * docs/performance.md have the figures).
 *
 * Both are set back to V8's defaults when the run ends, before evsend's code cache may be written
 * at exit: V8 keeps a code cache only for the flags it was made with, and flags set back to
 * their defaults give the same stamp (test/e2e/heap-limit.test.ts). For the same reason a file
 * the run loads while the limit is on (undici at the first request, ora for the spinner) is
 * compiled under V8's defaults: bin/code-cache.js runs its compile through `UNDER_DEFAULTS`,
 * else V8 would refuse that file's cache on every run, and the run would write it again.
 *
 * A Node option that sets the young generation or the old one's growth itself
 * (`node --max-semi-space-size=…`, or in NODE_OPTIONS) is the user's choice: the run then leaves
 * V8 as it is.
 */

/** The part of node:v8 the limit uses (a fake in unit tests). */
export interface HeapControls {
  setFlagsFromString(flags: string): void;
  getHeapSpaceStatistics(): ReadonlyArray<{ space_name: string; space_size: number }>;
}

/** Where the young generation stops growing: its size, both semi-spaces, in bytes. */
export const YOUNG_GENERATION_CAP = 16 * 1024 * 1024;

/** How often the young generation's size is looked at until it reaches the cap, in ms. */
export const WATCH_MS = 10;

const HOLD_OLD = "--heap-growing-percent=100";
const HOLD_YOUNG = "--semi-space-growth-factor=1";
/** V8's own defaults of the two flags (the same on Node 20, 22 and 24). */
const DEFAULTS = "--semi-space-growth-factor=2 --heap-growing-percent=0";

/**
 * Node or V8 options that size the young generation or the old one's growth, as the limit does:
 * the user's, left alone (a heap's maximum, `--max-old-space-size`, is no such option).
 */
const SIZING_OPTION =
  /--(?:(?:max|min)[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|heap[-_]growing[-_]percent|scavenger[-_]max[-_]new[-_]space[-_]capacity[-_]mb)\b/;

/** Whether the process was started with an option that sizes the heap itself. */
export function sizedByUser(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return execArgv.some((arg) => SIZING_OPTION.test(arg)) || SIZING_OPTION.test(nodeOptions ?? "");
}

/**
 * Where bin/code-cache.js finds, while a limit is on, the function that runs a compile (a bundle
 * file's `new vm.Script` with its cached data) under V8's default flags, and sets the limit's
 * flags again after it.
 */
export const UNDER_DEFAULTS = Symbol.for("evsend.v8-defaults");

type Holder = Record<symbol, (<T>(compile: () => T) => T) | undefined>;

/** The limit while it is on: `check` looks at the young generation once, `restore` ends it. */
export interface HeapLimit {
  /** Stops the young generation's growth once it holds the cap (a timer calls it). */
  check(): void;
  /** Sets V8's defaults back and stops watching; more calls do nothing. */
  restore(): void;
}

/**
 * Holds V8's heap near a long run's working size until `restore` is called (see above). Watches
 * the young generation every `everyMs` on a timer that never keeps the process alive, until it
 * holds `youngCap` bytes.
 */
export function limitHeap(
  v8: HeapControls,
  { youngCap = YOUNG_GENERATION_CAP, everyMs = WATCH_MS } = {},
): HeapLimit {
  let timer: NodeJS.Timeout | undefined;
  let restored = false;
  /** The limit's flags set now. */
  let held = HOLD_OLD;
  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  const holder = globalThis as unknown as Holder;
  const underDefaults = <T>(compile: () => T): T => {
    if (restored) return compile();
    v8.setFlagsFromString(DEFAULTS);
    try {
      return compile();
    } finally {
      v8.setFlagsFromString(held);
    }
  };
  const limit: HeapLimit = {
    check() {
      if (restored || timer === undefined) return;
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
      if (young === undefined || young.space_size < youngCap) return;
      v8.setFlagsFromString(HOLD_YOUNG);
      held = `${HOLD_OLD} ${HOLD_YOUNG}`;
      stop();
    },
    restore() {
      if (restored) return;
      restored = true;
      stop();
      if (holder[UNDER_DEFAULTS] === underDefaults) delete holder[UNDER_DEFAULTS];
      v8.setFlagsFromString(DEFAULTS);
    },
  };
  v8.setFlagsFromString(HOLD_OLD);
  holder[UNDER_DEFAULTS] = underDefaults;
  timer = setInterval(() => limit.check(), everyMs);
  timer.unref();
  limit.check();
  return limit;
}
