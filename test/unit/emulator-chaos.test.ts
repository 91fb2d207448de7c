import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chaosWanted,
  createChaos,
  parseFraction,
  parseStatuses,
  seededRandom,
  type ChaosOptions,
} from "../../src/emulator/chaos.js";

const CALM: ChaosOptions = { failRate: 0, failStatuses: [503], dropRate: 0, latencyMs: 0, seed: 1 };

describe("emulator chaos", () => {
  it("the same seed gives the same verdicts; another seed others", () => {
    const options = { ...CALM, failRate: 0.3, dropRate: 0.2, failStatuses: [429, 500, 503] };
    const run = (seed: number): string[] => {
      const chaos = createChaos({ ...options, seed });
      return Array.from({ length: 200 }, () => JSON.stringify(chaos.next()));
    };
    assert.deepEqual(run(42), run(42));
    assert.notDeepEqual(run(42), run(43));
  });

  it("fails and drops about the shares asked for, and counts them", () => {
    const chaos = createChaos({ ...CALM, failRate: 0.3, dropRate: 0.1, failStatuses: [429, 503] });
    const seen = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const verdict = chaos.next();
      const key = verdict.kind === "fail" ? `fail ${verdict.status}` : verdict.kind;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const failed = (seen.get("fail 429") ?? 0) + (seen.get("fail 503") ?? 0);
    assert.ok(failed > 2700 && failed < 3300, `failed ${failed}`);
    assert.ok(seen.get("fail 429")! > 1000 && seen.get("fail 503")! > 1000);
    assert.ok(seen.get("drop")! > 800 && seen.get("drop")! < 1200, `dropped ${seen.get("drop")}`);
    assert.deepEqual(chaos.counts, { failed, dropped: seen.get("drop") });
  });

  it("a rate of 1 fails every request, with Retry-After when asked", () => {
    const chaos = createChaos({ ...CALM, failRate: 1, failStatuses: [429], retryAfterSeconds: 3 });
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(chaos.next(), { kind: "fail", status: 429, retryAfterSeconds: 3 });
    }
    const calm = createChaos(CALM);
    for (let i = 0; i < 20; i++) assert.deepEqual(calm.next(), { kind: "pass" });
  });

  it("is installed only when something misbehaves", () => {
    assert.equal(chaosWanted(CALM), false);
    assert.equal(chaosWanted({ ...CALM, retryAfterSeconds: 5 }), false);
    assert.equal(chaosWanted({ ...CALM, latencyMs: 10 }), true);
    assert.equal(chaosWanted({ ...CALM, dropRate: 0.01 }), true);
  });

  it("seededRandom stays in [0, 1)", () => {
    const random = seededRandom(0);
    for (let i = 0; i < 1000; i++) {
      const x = random();
      assert.ok(x >= 0 && x < 1);
    }
  });

  it("parses rates and statuses, refusing what makes no sense", () => {
    assert.equal(parseFraction("0.3"), 0.3);
    assert.equal(parseFraction("30%"), 0.3);
    assert.equal(parseFraction("1"), 1);
    for (const bad of ["1.5", "150%", "-1", "x", ""]) {
      assert.throws(() => parseFraction(bad), /not a rate; use a fraction/, bad);
    }
    assert.deepEqual(parseStatuses("503"), [503]);
    assert.deepEqual(parseStatuses("429, 500,503"), [429, 500, 503]);
    for (const bad of ["200", "600", "50x", "", "503,"]) {
      assert.throws(() => parseStatuses(bad), /not a list of HTTP error statuses/, bad);
    }
  });
});
