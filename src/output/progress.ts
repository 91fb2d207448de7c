import type { Writable } from "node:stream";

/** A live status line: an ora spinner on a terminal, nothing elsewhere. */
export interface Progress {
  update(text: string): void;
  /** Removes the line (before other text is written). */
  clear(): void;
  /** Draws it again. */
  render(): void;
  stop(): void;
}

const NOOP: Progress = {
  update() {},
  clear() {},
  render() {},
  stop() {},
};

/** Starts a spinner on `stream` when enabled (ora is loaded only then). */
export async function createProgress(
  text: string,
  options: { stream: Writable; enabled: boolean },
): Promise<Progress> {
  if (!options.enabled) return NOOP;
  const { default: ora } = await import("ora");
  const spinner = ora({ text, stream: options.stream, discardStdin: false }).start();
  return {
    update(next) {
      spinner.text = next;
    },
    clear() {
      spinner.clear();
    },
    render() {
      spinner.render();
    },
    stop() {
      spinner.stop();
    },
  };
}
