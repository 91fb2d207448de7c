import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  countSegmentRecords,
  describeSegments,
  splitSegments,
  type Segment,
} from "../../src/bulk/segments.js";

const segments: Segment[] = [
  { source: "a.log", lines: [1, 2] },
  { source: "b.log", lines: [4, 4] },
  { source: "c.log", lines: [1, 1, 3, 5] },
];

describe("segments", () => {
  it("count every line of every input", () => {
    assert.equal(countSegmentRecords(segments), 7);
    assert.equal(countSegmentRecords([]), 0);
  });
  it("split at a segment's end, inside one, and at the ends", () => {
    assert.deepEqual(splitSegments(segments, 3), [segments.slice(0, 2), segments.slice(2)]);
    assert.deepEqual(splitSegments(segments, 5), [
      [...segments.slice(0, 2), { source: "c.log", lines: [1, 1, 3, 3] }],
      [{ source: "c.log", lines: [4, 5] }],
    ]);
    assert.deepEqual(splitSegments(segments, 1), [
      [{ source: "a.log", lines: [1, 1] }],
      [{ source: "a.log", lines: [2, 2] }, ...segments.slice(1)],
    ]);
    assert.deepEqual(splitSegments(segments, 0), [[], segments]);
    assert.deepEqual(splitSegments(segments, 7), [segments, []]);
  });
  it("describe where a batch's lines come from, the rest counted", () => {
    assert.equal(describeSegments(segments), "a.log lines 1-2, b.log line 4, c.log lines 1-5");
    assert.equal(describeSegments(segments, 1), "a.log lines 1-2 and 2 more files");
    assert.equal(describeSegments(segments, 2), "a.log lines 1-2, b.log line 4 and 1 more file");
  });
});
