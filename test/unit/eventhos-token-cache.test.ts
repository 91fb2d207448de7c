import assert from "node:assert/strict";
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TokenCache, tokenCacheDir } from "../../src/services/eventhos/token-cache.js";

const BASE = "https://eventhos.example.com";
const CLIENT = "abc::usil.app";
const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

describe("eventhos token cache", () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "evsend-cache-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  /** A cache in a fresh directory, its log lines, and a settable clock. */
  function fresh(uid = process.getuid?.()): {
    cache: TokenCache;
    log: string[];
    clock: { now: number };
  } {
    const log: string[] = [];
    const clock = { now: NOW };
    n += 1;
    const cache = new TokenCache(
      join(root, `c${n}`, "evsend"),
      (m) => log.push(m),
      () => clock.now,
      uid,
    );
    return { cache, log, clock };
  }

  it("lives in $XDG_CACHE_HOME/evsend (absolute only), else ~/.cache/evsend", () => {
    assert.equal(tokenCacheDir({ XDG_CACHE_HOME: "/x/cache" }, "/home/u"), "/x/cache/evsend");
    assert.equal(tokenCacheDir({ XDG_CACHE_HOME: "rel" }, "/home/u"), "/home/u/.cache/evsend");
    assert.equal(tokenCacheDir({}, "/home/u"), "/home/u/.cache/evsend");
  });

  it("a token is kept until a minute before its exp", async () => {
    const { cache, clock } = fresh();
    assert.equal(await cache.read(BASE, CLIENT), undefined);
    assert.equal(await cache.write(BASE, CLIENT, "tok-1", NOW + HOUR), undefined);
    assert.equal(await cache.read(BASE, CLIENT), "tok-1");
    clock.now = NOW + HOUR - 60_001;
    assert.equal(await cache.read(BASE, CLIENT), "tok-1");
    clock.now = NOW + HOUR - 60_000;
    assert.equal(await cache.read(BASE, CLIENT), undefined);
  });

  it("file 0600 in a directory 0700, written atomically (no temporary file left)", async () => {
    const { cache } = fresh();
    await cache.write(BASE, CLIENT, "tok-2", NOW + HOUR);
    assert.equal((await stat(cache.dir)).mode & 0o777, 0o700);
    const file = cache.fileFor(BASE, CLIENT);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(cache.dir), [file.split("/").at(-1)]);
  });

  it("an existing directory open to others is made 0700", async () => {
    const { cache } = fresh();
    await mkdir(cache.dir, { recursive: true, mode: 0o755 });
    await chmod(cache.dir, 0o755);
    await cache.write(BASE, CLIENT, "tok", NOW + HOUR);
    assert.equal((await stat(cache.dir)).mode & 0o777, 0o700);
  });

  it("one file per base URL and client id", async () => {
    const { cache } = fresh();
    await cache.write(BASE, CLIENT, "t-a", NOW + HOUR);
    await cache.write(`${BASE}/other`, CLIENT, "t-b", NOW + HOUR);
    await cache.write(BASE, "xyz::other.app", "t-c", NOW + HOUR);
    assert.equal(await cache.read(BASE, CLIENT), "t-a");
    assert.equal(await cache.read(`${BASE}/other`, CLIENT), "t-b");
    assert.equal(await cache.read(BASE, "xyz::other.app"), "t-c");
    assert.equal((await readdir(cache.dir)).length, 3);
    assert.equal(await cache.read("https://elsewhere", CLIENT), undefined);
  });

  it("an expiresAt no Date can hold (1e300, 1e999), or a token with CR LF: the file is ignored", async () => {
    const { cache, log } = fresh();
    await mkdir(cache.dir, { recursive: true, mode: 0o700 });
    const file = cache.fileFor(BASE, CLIENT);
    const entry = (token: string, expiresAt: string): string =>
      `{"baseUrl":${JSON.stringify(BASE)},"clientId":${JSON.stringify(CLIENT)},"token":${JSON.stringify(token)},"expiresAt":${expiresAt}}`;
    for (const expiresAt of ["1e300", "1e999", "8.7e15", "-1"]) {
      await writeFile(file, entry("t", expiresAt), { mode: 0o600 });
      assert.equal(await cache.read(BASE, CLIENT), undefined, expiresAt);
    }
    // Nor a token no header can carry (exit 3 on every run until the file was deleted).
    await writeFile(file, entry("to\r\nken", String(NOW + HOUR)), { mode: 0o600 });
    assert.equal(await cache.read(BASE, CLIENT), undefined);
    await writeFile(file, entry("token", String(NOW + HOUR)), { mode: 0o600 });
    assert.equal(await cache.read(BASE, CLIENT), "token");
    assert.match(log.join("\n"), /ignoring .*: not a token cache file/);
  });

  it("a corrupt file is ignored (said in -v) and replaced by the next token", async () => {
    const { cache, log } = fresh();
    await mkdir(cache.dir, { recursive: true, mode: 0o700 });
    const file = cache.fileFor(BASE, CLIENT);
    for (const junk of ["{not json", '{"token": 42}', "[]"]) {
      await writeFile(file, junk, { mode: 0o600 });
      assert.equal(await cache.read(BASE, CLIENT), undefined);
    }
    assert.match(log.join("\n"), /ignoring .*: not valid JSON/);
    assert.match(log.join("\n"), /ignoring .*: not a token cache file/);
    await cache.write(BASE, CLIENT, "tok-new", NOW + HOUR);
    assert.equal(await cache.read(BASE, CLIENT), "tok-new");
  });

  it("a file readable by others, a symlink, or one written for another client is ignored", async () => {
    const { cache, log } = fresh();
    await cache.write(BASE, CLIENT, "tok", NOW + HOUR);
    const file = cache.fileFor(BASE, CLIENT);
    await chmod(file, 0o644);
    assert.equal(await cache.read(BASE, CLIENT), undefined);
    assert.match(log.join("\n"), /mode 644, not 600/);

    const target = join(root, "elsewhere.json");
    await writeFile(target, await readFile(file), { mode: 0o600 });
    await rm(file);
    await symlink(target, file);
    assert.equal(await cache.read(BASE, CLIENT), undefined);
    assert.match(log.at(-1) ?? "", /ignoring/);
    await cache.write(BASE, CLIENT, "tok-2", NOW + HOUR); // replaces the link, not its target
    assert.equal(await cache.read(BASE, CLIENT), "tok-2");
    assert.match(await readFile(target, "utf8"), /"tok"/);

    // The other client's entry copied under this client's name.
    await cache.write(BASE, "other", "tok-other", NOW + HOUR);
    await writeFile(file, await readFile(cache.fileFor(BASE, "other")), { mode: 0o600 });
    assert.equal(await cache.read(BASE, CLIENT), undefined);
    assert.match(log.at(-1) ?? "", /another URL or client/);
  });

  it("a file owned by someone else is ignored", async () => {
    const mine = fresh();
    await mine.cache.write(BASE, CLIENT, "tok", NOW + HOUR);
    const uid = process.getuid?.();
    if (uid === undefined) return; // no owners to compare on this platform
    const someoneElse = new TokenCache(
      mine.cache.dir,
      (m) => mine.log.push(m),
      () => NOW,
      uid + 1,
    );
    assert.equal(await someoneElse.read(BASE, CLIENT), undefined);
    assert.match(mine.log.at(-1) ?? "", /not owned by you/);
    assert.match(
      (await someoneElse.write(BASE, CLIENT, "t", NOW + HOUR)) ?? "",
      /not owned by you/,
    );
  });

  it("drop forgets the token", async () => {
    const { cache } = fresh();
    await cache.write(BASE, CLIENT, "tok", NOW + HOUR);
    await cache.drop(BASE, CLIENT);
    assert.equal(await cache.read(BASE, CLIENT), undefined);
    await cache.drop(BASE, CLIENT); // nothing to drop: no error
  });

  it("a directory that cannot be made is reported, never thrown", async () => {
    const log: string[] = [];
    const blocker = join(root, "blocker");
    await writeFile(blocker, "x");
    const cache = new TokenCache(
      join(blocker, "evsend"),
      (m) => log.push(m),
      () => NOW,
    );
    assert.match((await cache.write(BASE, CLIENT, "t", NOW + HOUR)) ?? "", /cannot use .*ENOTDIR/);
    assert.equal(await cache.read(BASE, CLIENT), undefined);
  });
});
