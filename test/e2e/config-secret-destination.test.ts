import assert from "node:assert/strict";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { runEvsend } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const EVENT = "build-finished-9O_CE0Lcrz";
const CLIENT = "ci::build.app";
/** Where a project's endpoint points when the user's own setting must win: nothing listens. */
const ELSEWHERE = "http://127.0.0.1:9";

/** One service: how its project section looks and how its secret is passed. */
interface Service {
  name: string;
  title: string;
  /** The secret field, its variable and its flag. */
  key: string;
  env: string;
  flag: string;
  /** The endpoint field, and how to pass it as a flag and a variable. */
  endpointKey: string;
  endpointFlag: string;
  endpointEnv: string;
  endpoint: (base: string) => string;
  /** Made up; must never show in anything evsend prints. */
  secret: string;
  /** The section without endpoint and secret. */
  rest: Record<string, string>;
  args: string[];
}

const SERVICES: Service[] = [
  {
    name: "devo",
    title: "Devo",
    key: "token",
    env: "EVSEND_DEVO_TOKEN",
    flag: "--token-file",
    endpointKey: "endpoint",
    endpointFlag: "--endpoint",
    endpointEnv: "EVSEND_DEVO_ENDPOINT",
    endpoint: (base) => base,
    secret: "d3v0T0kenMadeUp4f8a1c9e7b2d6a0f",
    rest: { domain: "acme", tag: "my.app.ci" },
    args: ["devo", "send", "build done"],
  },
  {
    name: "databoom",
    title: "Databoom",
    key: "token",
    env: "EVSEND_DATABOOM_TOKEN",
    flag: "--token-file",
    endpointKey: "url",
    endpointFlag: "--url",
    endpointEnv: "EVSEND_DATABOOM_URL",
    endpoint: (base) => `${base}/v1`,
    secret: "RealT0kenMadeUp9c2e5a7f1b3d8e6a",
    rest: { device: "ci" },
    args: ["databoom", "push", "coverage=91"],
  },
  {
    name: "eventhos",
    title: "Eventhos",
    key: "clientSecret",
    env: "EVSEND_EVENTHOS_CLIENT_SECRET",
    flag: "--client-secret-file",
    endpointKey: "url",
    endpointFlag: "--url",
    endpointEnv: "EVSEND_EVENTHOS_URL",
    endpoint: (base) => base,
    secret: "cl1entS3cretMadeUp7e4b9a2c5d8f1a",
    rest: { event: EVENT, clientId: CLIENT },
    args: ["eventhos", "send", '{"ok":true}'],
  },
  {
    name: "guance",
    title: "Guance",
    key: "secret",
    env: "EVSEND_GUANCE_SECRET",
    flag: "--secret-file",
    endpointKey: "url",
    endpointFlag: "--url",
    endpointEnv: "EVSEND_GUANCE_URL",
    endpoint: (base) => base,
    secret: "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    rest: { subUri: "datakit/push" },
    args: ["guance", "push", "--status", "ok", "--title", "build done"],
  },
];

/** The project files a repository may hold, and how each wraps the configuration. */
const FILES: Array<{ name: string; text: (config: object) => string }> = [
  { name: "package.json", text: (config) => JSON.stringify({ name: "repo", evsend: config }) },
  { name: ".evsendrc.yaml", text: (config) => JSON.stringify(config) }, // JSON is YAML
];

function assertNoSecret(...texts: string[]): void {
  for (const text of texts)
    for (const { secret } of SERVICES) assert.ok(!text.includes(secret), `leaked: ${text}`);
}

describe("a secret goes only to an endpoint as trusted as the secret (end to end)", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let secretFile: string;
  let dirs = 0;
  before(async () => {
    const eventhos = join(home.home, "eventhos.json");
    const eventhosSecret = SERVICES[2]!.secret;
    await writeFile(
      eventhos,
      JSON.stringify({
        events: { [EVENT]: { contract: true, system: "build.app" } },
        clients: [{ id: CLIENT, secret: eventhosSecret, system: "build.app" }],
      }),
    );
    const [devo, databoom, , guance] = SERVICES.map((s) => s.secret);
    emulator = await spawnEmulator(
      home.env,
      [
        ...["--devo-token", devo!, "--databoom-token", databoom!, "--guance-secret", guance!],
        ...["--eventhos-config", eventhos],
      ],
      ["-v"],
    );
    secretFile = join(home.home, "secret");
  });
  after(async () => {
    await emulator.stop();
    assertNoSecret(emulator.stderr(), emulator.stdout.join("\n"));
  });

  /** A fresh repository directory holding `file` with profile "ci" = `section`. */
  const project = async (
    file: (typeof FILES)[number],
    service: Service,
    section: Record<string, unknown>,
  ): Promise<{ cwd: string; path: string }> => {
    const cwd = join(home.home, "src", `repo-${++dirs}`);
    await mkdir(cwd, { recursive: true });
    const config = { defaultProfile: "ci", profiles: { ci: { [service.name]: section } } };
    const path = join(cwd, file.name);
    await writeFile(path, file.text(config), { mode: 0o600 });
    return { cwd, path };
  };
  const section = (service: Service, endpoint: string, secret?: unknown) => ({
    [service.endpointKey]: endpoint,
    ...service.rest,
    ...(secret === undefined ? {} : { [service.key]: secret }),
  });
  const recorded = async (): Promise<Array<{ service: string }>> => {
    const listing = await httpCall(`${emulator.url}/_emulator/events`, "GET");
    return (JSON.parse(listing.body) as { events: Array<{ service: string }> }).events;
  };
  /** Runs evsend and returns what the emulator received meanwhile: every request, and the events. */
  const run = async (args: string[], env: NodeJS.ProcessEnv, cwd: string) => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const posts = (): number =>
      emulator
        .stderr()
        .split("\n")
        .filter((l) => /^POST /.test(l)).length;
    const before = posts();
    const r = await runEvsend(args, { env: { ...home.env, ...env }, cwd });
    assertNoSecret(r.stdout, r.stderr);
    return { ...r, events: await recorded(), requests: posts() - before };
  };

  // The ways a user's secret can reach a project file's endpoint, all refused.
  const refused: Array<{
    how: string;
    secret: (s: Service) => unknown;
    env: (s: Service) => NodeJS.ProcessEnv;
    args: (s: Service) => string[];
    from: (s: Service) => string;
  }> = [
    {
      how: "from the environment",
      secret: () => undefined,
      env: (s) => ({ [s.env]: s.secret }),
      args: () => [],
      from: (s) => `$${s.env}`,
    },
    {
      how: "from a --<secret>-file flag",
      secret: () => undefined,
      env: () => ({}),
      args: (s) => [s.flag, secretFile],
      from: (s) => s.flag,
    },
    {
      how: "through the project file's { env }",
      secret: () => ({ env: "CI_SECRET" }),
      env: (s) => ({ CI_SECRET: s.secret }),
      args: () => [],
      from: (s) => `${s.name}.${s.key}'s { env: $CI_SECRET }`,
    },
    {
      how: "through the project file's { file }",
      secret: () => ({ file: secretFile }),
      env: () => ({}),
      args: () => [],
      from: (s) => `${s.name}.${s.key}'s { file: ${secretFile} }`,
    },
  ];

  for (const service of SERVICES) {
    for (const file of FILES) {
      for (const way of refused) {
        it(`${service.name}: endpoint in ${file.name}, secret ${way.how} → exit 3, nothing sent`, async () => {
          await writeFile(secretFile, `${service.secret}\n`, { mode: 0o600 });
          const { cwd, path } = await project(
            file,
            service,
            section(service, service.endpoint(emulator.url), way.secret(service)),
          );
          const [verb, ...rest] = service.args;
          const args = [verb!, rest[0]!, ...way.args(service), ...rest.slice(1)];
          const r = await run(args, way.env(service), cwd);
          assert.equal(r.code, 3, r.stderr);
          assert.equal(r.stdout, "");
          assert.ok(
            r.stderr.includes(
              `error: refusing to send the ${service.title} ${service.key} from ${way.from(service)} to the endpoint set by ${service.name}.${service.endpointKey} in profile "ci" in ${path}, a project file found by searching from the working directory`,
            ),
            r.stderr,
          );
          assert.ok(r.stderr.includes(`--config ${path}`), r.stderr);
          assert.ok(r.stderr.includes(`${service.endpointFlag} or ${service.endpointEnv}`));
          assert.deepEqual(r.events, []);
          assert.equal(r.requests, 0, emulator.stderr());
        });
      }
    }

    it(`${service.name}: --dry-run refuses as the real run would, reading no secret`, async () => {
      const { cwd } = await project(
        FILES[0]!,
        service,
        section(service, service.endpoint(emulator.url)),
      );
      const r = await run(["-n", ...service.args], { [service.env]: service.secret }, cwd);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /^error: refusing to send the /);
      assert.equal(r.requests, 0);
    });

    // The cases the rule lets through: each is sent, and the emulator records the event.
    const accepted = async (args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<void> => {
      const r = await run(args, env, cwd);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /refusing/);
      assert.deepEqual(
        r.events.map((e) => e.service),
        [service.name],
      );
    };
    const own = { [service.env]: service.secret };

    it(`${service.name}: a secret written in the project file itself goes to its endpoint`, async () => {
      const { cwd } = await project(
        FILES[0]!,
        service,
        section(service, service.endpoint(emulator.url), service.secret),
      );
      await accepted(service.args, {}, cwd);
    });

    it(`${service.name}: the endpoint passed as a variable or a flag wins over the project's`, async () => {
      const { cwd } = await project(
        FILES[1]!,
        service,
        section(service, service.endpoint(ELSEWHERE)),
      );
      await accepted(
        service.args,
        { ...own, [service.endpointEnv]: service.endpoint(emulator.url) },
        cwd,
      );
      const [verb, ...rest] = service.args;
      const flagged = [
        verb!,
        rest[0]!,
        service.endpointFlag,
        service.endpoint(emulator.url),
        ...rest.slice(1),
      ];
      await accepted(flagged, own, cwd);
    });

    it(`${service.name}: the project file named with --config or EVSEND_CONFIG is the user's`, async () => {
      for (const file of FILES) {
        const { cwd, path } = await project(
          file,
          service,
          section(service, service.endpoint(emulator.url)),
        );
        await accepted(["--config", path, ...service.args], own, cwd);
        await accepted(service.args, { ...own, EVSEND_CONFIG: file.name }, cwd);
      }
    });

    it(`${service.name}: the user's own config file may send the user's secret anywhere`, async () => {
      const config = {
        defaultProfile: "ci",
        profiles: {
          ci: {
            [service.name]: section(service, service.endpoint(emulator.url), { env: "CI_SECRET" }),
          },
        },
      };
      const path = await home.writeConfig(JSON.stringify(config));
      try {
        await accepted(service.args, { CI_SECRET: service.secret }, home.home);
      } finally {
        await rm(path);
      }
    });
  }
});
