import { after, before, type TestContext } from "node:test";
import { startServer, tempHome, type TempHome, type TestServer } from "./spawn.js";

/** What these helpers need of a test: node:test's `TestContext` (`it("…", async (t) => …)`). */
type Scope = Pick<TestContext, "after">;

/** `startServer(handler)`, closed when test `t` ends, whether it passed or failed. */
export async function withServer(
  t: Scope,
  handler: Parameters<typeof startServer>[0],
): Promise<TestServer> {
  const server = await startServer(handler);
  t.after(() => server.close());
  return server;
}

/** A `tempHome()` for test `t`, removed when it ends. */
export async function withTempHome(t: Scope): Promise<TempHome> {
  const home = await tempHome();
  t.after(() => home.cleanup());
  return home;
}

/**
 * A `tempHome()` for the tests of the enclosing `describe`: made by a `before` hook (its fields
 * are there from the first hook declared after this call on), removed by an `after` hook.
 */
export function useTempHome(): TempHome {
  const home = {} as TempHome;
  before(async () => void Object.assign(home, await tempHome()));
  after(() => home.cleanup?.());
  return home;
}
