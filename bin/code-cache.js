// Loads evsend's bundle (and each vendor file it requires) as require() would, with V8's code
// cache kept on disk: a run whose cache is there skips parsing and compiling the code it runs,
// which is most of what evsend adds to starting Node (README: Performance). What Node's own
// compile cache (`module.enableCompileCache()`, Node >= 22) does, but on Node 20 as well, and
// written after the run, so that the functions the run compiled on the way are in it too, not
// only the code that runs when the file is loaded.
//
// One cache file per bundle file, Node version and V8 flags: `<dir>/<node version>-<arch>
// [-<flags>]/<file>.cache`, holding a header line (the file's build id, the commands whose code
// is in it) and V8's data, twice. V8 refuses data made by another V8 version, with other V8
// flags, or for a source of another length; the build id (a hash the build writes into each
// file) refuses it for another build of the same length. V8 reads the data without checking it
// (its checksum check is a flag, off by default, and bin/evsend.js does not load node:v8 on
// every run to set it): data that was damaged on disk would crash it. So the data is written
// twice and read only when both copies are the same (a memcmp, where a checksum in JavaScript
// would cost a few milliseconds); a file cut short or changed anywhere is not read. A cache file
// that another user owns or could have written is not read (it would run as code). A run whose
// command is not in the header yet writes the cache again at exit, with its own functions added
// to those it read: a few writes per build, then only reads.
// Anything that goes wrong with the cache (a directory that cannot be made or written, a file
// that cannot be read, data V8 refuses) leaves the run as it would be without one, silently.
"use strict";
const {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} = require("node:fs");
const { basename, dirname, join } = require("node:path");
const { Script } = require("node:vm");
const { Buffer } = require("node:buffer");

// bin/evsend.js's own Module class: the one require() uses (not node:module, which loads part
// of Node's ES module loader on Node 20).
const Module = module.constructor;

/** The build id esbuild.config.js writes at the start of each bundle file. */
const BUILD_ID = /^\/\*evsend-build:([0-9a-f]{16})\*\//;
const MAGIC = "evsend-code-cache 3";
/** At most this many commands are written into one cache; later ones only read it. */
const MAX_COMMANDS = 32;
/** Where a run that sets V8 flags for a while leaves the function that lends V8's defaults. */
const UNDER_DEFAULTS = Symbol.for("evsend.v8-defaults");

/**
 * The file's contents when it is one only this user can have written: owned by them, writable by
 * no one else (what it holds is run as code, with the user's rights). Checked on the file as it
 * is opened, so it cannot be swapped between the check and the read.
 */
function readOwnFile(path) {
  let fd;
  try {
    fd = openSync(path, "r");
    const { uid, mode } = fstatSync(fd);
    const me = process.getuid?.();
    // (POSIX only: Windows has no uid, and its mode bits say nothing of who may write.)
    if (me !== undefined && (uid !== me || (mode & 0o022) !== 0)) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The cache's header and V8's data, or undefined when there is no usable cache for `build`: the
 * data follows the header twice, and is used only when the two copies are the same.
 */
function readCache(path, build) {
  const bytes = readOwnFile(path);
  if (bytes === undefined) return undefined;
  const end = bytes.indexOf(10);
  if (end === -1) return undefined;
  const [magic, id, ...commands] = bytes.toString("latin1", 0, end).split("\t");
  if (magic !== MAGIC || id !== build) return undefined;
  const length = (bytes.length - end - 1) / 2;
  if (!Number.isInteger(length) || length === 0) return undefined;
  const data = bytes.subarray(end + 1, end + 1 + length);
  if (!data.equals(bytes.subarray(end + 1 + length))) return undefined;
  return { commands, data };
}

/**
 * Writes the cache whole, under a temporary name first: a reader never sees half a file. V8's
 * data (`createData()`) is made only once the directory is there.
 */
function writeCache(path, build, commands, createData) {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const data = createData();
    const header = Buffer.from(`${[MAGIC, build, ...commands].join("\t")}\n`, "latin1");
    writeFileSync(temporary, Buffer.concat([header, data, data]), { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
  }
}

/**
 * A loader for evsend's bundle files with the code cache in `dir` (its own subdirectory per
 * Node version and, named by `flags`, V8 flags set), for a run of `command` (the run's first
 * words: which commands' code a cache holds). `load(file, parent)` returns the file's exports,
 * as `require(file)` would.
 */
function codeCacheLoader(dir, command, flags = "") {
  const versionDir = join(dir, `${process.version}-${process.arch}${flags ? `-${flags}` : ""}`);
  const toWrite = [];

  function load(file, parent) {
    const loaded = Module._cache[file];
    if (loaded) return loaded.exports;
    // The build checks that each bundle file is ASCII: latin1 reads it as utf8 would, faster.
    const source = readFileSync(file, "latin1");
    const build = BUILD_ID.exec(source)?.[1];
    // Not a file of evsend's build (a checkout built another way): load it as usual.
    if (build === undefined) return parent.require(file);
    const path = join(versionDir, `${basename(file)}.cache`);
    const cache = readCache(path, build);
    // A record run holds V8's heap with two V8 flags for a while (src/bulk/heap-limit.ts), and
    // V8 takes a cache only under the flags it was made with (V8's defaults, for every file
    // here): a file loaded meanwhile (undici, ora) is compiled under them.
    const underDefaults = globalThis[UNDER_DEFAULTS] ?? ((compile) => compile());
    const script = underDefaults(
      () => new Script(Module.wrap(source), { filename: file, cachedData: cache?.data }),
    );
    const used = cache !== undefined && !script.cachedDataRejected;
    if (!used || (!cache.commands.includes(command) && cache.commands.length < MAX_COMMANDS)) {
      const commands = used ? [...cache.commands, command] : [command];
      toWrite.push(() => writeCache(path, build, commands, () => script.createCachedData()));
      if (toWrite.length === 1) process.once("exit", () => toWrite.forEach((write) => write()));
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    const mod = new Module(file, parent);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(dirname(file));
    Module._cache[file] = mod;
    // The bundle's vendor files (./vendor/*.cjs) come through the cache too.
    const base = Module.createRequire(file);
    const require = Object.assign(
      (id) => (id.startsWith("./vendor/") ? load(join(dirname(file), id), mod) : base(id)),
      base,
    );
    try {
      wrapper.call(mod.exports, mod.exports, require, mod, file, dirname(file));
    } catch (error) {
      delete Module._cache[file];
      throw error;
    }
    mod.loaded = true;
    return mod.exports;
  }

  return { load };
}

module.exports = { codeCacheLoader };
