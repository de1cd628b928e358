// Every benchmark `npm run bench` runs, in order: the quick ones first, so a
// broken tree fails in minutes, the kernel builds last. `outputs` are the
// files in bench/results/ the command writes; `env` holds the run-count
// defaults run-all gives a script (the caller's environment wins).

/** @type {{ name: string, command: string[], outputs: string[], env: Record<string, string>, about: string, optionalScript?: string }[]} */
export const BENCHMARKS = [
  {
    name: "lint",
    command: ["node", "bench/lint.mjs"],
    outputs: ["lint.json"],
    env: {},
    about: "RUNS=31, LARGE_RUNS=5; about a minute",
  },
  {
    name: "publish",
    command: ["node", "bench/publish.mjs"],
    outputs: ["publish.json"],
    env: {},
    about: "RUNS=15, PUBLISH_RUNS=5; about a minute",
  },
  {
    name: "agent",
    command: ["node", "bench/agent.mjs"],
    outputs: ["agent.json"],
    env: {},
    about: "RUNS=15; under a minute",
  },
  {
    name: "forge",
    command: ["node", "bench/forge.mjs"],
    outputs: ["forge.json"],
    env: {},
    about: "RUNS=200, UPLOADS=30; under a minute",
  },
  {
    name: "app",
    command: ["node", "bench/app.mjs"],
    outputs: ["app.json"],
    // Each delivery takes ~9 s at 4 in flight, so the script's 200 would
    // take 8 minutes to re-measure a figure that does not move.
    env: { PRS: "10", DELIVERIES: "40" },
    about: "PRS=10, DELIVERIES=40 (the script alone: 20, 200); about 3 minutes",
  },
  {
    name: "vm-test",
    command: ["node", "bench/vm-test.mjs"],
    outputs: ["vm-test.json"],
    env: {},
    about: "RUNS=5; a minute with a warm kernel cache, a kernel build without",
  },
  {
    name: "build",
    command: ["node", "bench/build.mjs"],
    outputs: ["build.json"],
    env: {},
    about: "RUNS=3, fresh cache: two kernel builds, 25-60 minutes on 2 cores",
  },
  {
    name: "demo",
    command: ["npm", "run", "demo"],
    outputs: ["demo.json"],
    env: {},
    about: "`npm run demo`, when package.json has it",
    optionalScript: "demo",
  },
];
