import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getDefaultSearchPlaces, globalConfigSearchPlaces } from "cosmiconfig";
import { PROJECT_FILES, USER_FILES } from "../../src/config/paths.js";

/** A file format that runs code when loaded: evsend never reads one (design.md). */
const EXECUTABLE = /\.(js|ts|cjs|mjs)$/;

describe("the config search follows cosmiconfig's conventions", () => {
  it("every file cosmiconfig looks for in a project directory, but executable ones, is searched", () => {
    const theirs = getDefaultSearchPlaces("evsend").filter(
      // `.config/evsendrc*` (cosmiconfig 8+) is left out: README › Configuration says why.
      (place) => !EXECUTABLE.test(place) && !place.startsWith(".config/"),
    );
    assert.deepEqual(
      theirs.filter((place) => !PROJECT_FILES.includes(place)),
      [],
      "a conventional name evsend does not search",
    );
    for (const place of PROJECT_FILES) assert.doesNotMatch(place, EXECUTABLE);
  });

  it("the user files are among cosmiconfig's global places, none executable", () => {
    for (const place of USER_FILES) {
      assert.ok(globalConfigSearchPlaces.includes(place), place);
      assert.doesNotMatch(place, EXECUTABLE);
    }
  });
});
