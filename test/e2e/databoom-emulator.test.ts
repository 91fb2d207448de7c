import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { useTempHome } from "../helpers/scoped.js";

const TOKEN = "made-up-emulator-token-51c2";
const JSON_TYPE = { "content-type": "application/json" };
const AUTH = { ...JSON_TYPE, authorization: `Bearer ${TOKEN}` };

describe("the emulator's Databoom API", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let push: string;
  before(async () => {
    emulator = await spawnEmulator(home.env, ["--databoom-token", TOKEN]);
    push = `${emulator.url}/v1/signals/push`;
  });
  after(async () => {
    await emulator.stop();
  });

  async function recorded(): Promise<unknown[]> {
    const listing = await httpCall(`${emulator.url}/_emulator/events`, "GET");
    const { events } = JSON.parse(listing.body) as { events: Array<Record<string, unknown>> };
    return events.map(({ mode, target, event }) => ({ mode, target, event }));
  }

  it("history shape: ALL_INFO_PROCESSED and one recorded event per point", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const body = {
      device: "d1",
      signals: {
        temp: {
          history: [
            { date: "2020-08-04T09:30:00.000Z", value: 24.35 },
            { date: "2020-08-04T09:31:00.000Z", value: 24.4 },
          ],
        },
        state: { history: [{ date: "2020-08-04T09:30:00.000Z", value: "open" }] },
      },
    };
    const r = await httpCall(push, "POST", JSON.stringify(body), AUTH);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { message: "ALL_INFO_PROCESSED" });
    const target = { device: "d1" };
    assert.deepEqual(await recorded(), [
      {
        mode: "history",
        target,
        event: { signal: "temp", date: "2020-08-04T09:30:00.000Z", value: 24.35 },
      },
      {
        mode: "history",
        target,
        event: { signal: "temp", date: "2020-08-04T09:31:00.000Z", value: 24.4 },
      },
      {
        mode: "history",
        target,
        event: { signal: "state", date: "2020-08-04T09:30:00.000Z", value: "open" },
      },
    ]);
  });

  it("Bearer token required, and with --databoom-token only that one; never recorded or printed", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const body = JSON.stringify({ device: "d1", signals: [{ name: "a", value: 1 }] });
    const none = await httpCall(push, "POST", body, JSON_TYPE);
    assert.equal(none.status, 401);
    assert.match(none.body, /missing Authorization: Bearer/);
    const wrong = await httpCall(push, "POST", body, {
      ...JSON_TYPE,
      authorization: "Bearer nope",
    });
    assert.equal(wrong.status, 401);
    assert.equal((await recorded()).length, 0);
    const ok = await httpCall(push, "POST", body, AUTH);
    assert.equal(ok.status, 200);
    const listing = await httpCall(`${emulator.url}/_emulator/events`, "GET");
    for (const text of [listing.body, emulator.stdout.join("\n"), emulator.stderr()])
      assert.ok(!text.includes(TOKEN), text);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ["not JSON", "{", /not JSON/],
    ["no device", { signals: [{ name: "a", value: 1 }] }, /device/],
    ["signals neither array nor object", { device: "d", signals: 3 }, /array .* or an object/],
    ["empty signals", { device: "d", signals: [] }, /signals is empty/],
    ["a push signal without name", { device: "d", signals: [{ value: 1 }] }, /signals\[0\]/],
    [
      "a boolean value",
      { device: "d", signals: [{ name: "a", value: true }] },
      /value must be a number/,
    ],
    [
      "the same signal twice",
      {
        device: "d",
        signals: [
          { name: "a", value: 1 },
          { name: "a", value: 2 },
        ],
      },
      /twice/,
    ],
    [
      "a bad date",
      { device: "d", date: "soon", signals: [{ name: "a", value: 1 }] },
      /date must be a date/,
    ],
    [
      "history without history",
      { device: "d", signals: { a: { values: [] } } },
      /expected \{"history"/,
    ],
    [
      "a history point without date",
      { device: "d", signals: { a: { history: [{ value: 1 }] } } },
      /history\[0\]: date/,
    ],
    [
      "a history point with null",
      { device: "d", signals: { a: { history: [{ date: "2020-01-01", value: null }] } } },
      /value must be a number/,
    ],
  ];
  for (const [what, body, message] of invalid) {
    it(`400 for ${what}, nothing recorded`, async () => {
      await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const r = await httpCall(push, "POST", text, AUTH);
      assert.equal(r.status, 400, r.body);
      assert.match((JSON.parse(r.body) as { message: string }).message, message);
      assert.equal((await recorded()).length, 0);
    });
  }

  it("405 for GET, 415 without a JSON content type", async () => {
    assert.equal((await httpCall(push, "GET", undefined, AUTH)).status, 405);
    const form = await httpCall(push, "POST", "device=d", {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.equal(form.status, 415);
  });
});
