/**
 * Milliseconds on a monotonic clock, for durations. The same clock as `performance.now()`, read
 * without the global `performance`, whose first use loads node:perf_hooks (milliseconds of a
 * one-off run's start-up).
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
