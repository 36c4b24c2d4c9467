/**
 * What the test setup does when `redis-server` is missing: install it where it safely can
 * (Debian's apt-get as root, or Homebrew), otherwise stop with one line saying what to install.
 * The decision is a pure function of what the machine offers, so each branch is tested without
 * touching the machine.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** What the machine offers, as far as installing redis-server goes. */
export interface Machine {
  readonly platform: NodeJS.Platform;
  readonly root: boolean;
  readonly debian: boolean;
  readonly aptGet: boolean;
  readonly brew: boolean;
}

/** Either the commands that install redis-server, or the one line to stop with. */
export type Plan =
  | { readonly kind: "install"; readonly how: string; readonly steps: readonly (readonly string[])[] }
  | { readonly kind: "stop"; readonly message: string };

const NEED = "@taskio/redis tests need redis-server (>= 6.2) on PATH, and it is not there:";
const OR_PATH = "or set REDIS_SERVER to its path";

export function planInstall(machine: Machine): Plan {
  if (machine.debian && machine.aptGet && machine.root) {
    return {
      kind: "install",
      how: "apt-get install -y redis-server",
      steps: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "redis-server"],
      ],
    };
  }
  if (machine.brew) return { kind: "install", how: "brew install redis", steps: [["brew", "install", "redis"]] };
  if (machine.debian && machine.aptGet) {
    return { kind: "stop", message: `${NEED} install it with \`sudo apt-get install redis-server\`, ${OR_PATH}.` };
  }
  if (machine.platform === "darwin") {
    return {
      kind: "stop",
      message: `${NEED} install Homebrew (https://brew.sh) then run \`brew install redis\`, ${OR_PATH}.`,
    };
  }
  return {
    kind: "stop",
    message: `${NEED} install it with your package manager (the package is usually "redis" or "redis-server"; see https://redis.io/docs/latest/operate/oss_and_stack/install/), ${OR_PATH}.`,
  };
}

/** True if `command --version` runs. */
function runs(command: string, env?: NodeJS.ProcessEnv): boolean {
  const probe = spawnSync(command, ["--version"], { stdio: "ignore", timeout: 30_000, env });
  return probe.error === undefined && probe.status === 0;
}

export function thisMachine(): Machine {
  return {
    platform: process.platform,
    root: process.getuid?.() === 0,
    debian: existsSync("/etc/debian_version"),
    aptGet: runs("apt-get"),
    brew: runs("brew"),
  };
}

/** The one-line failure the test run stops with (no stack: the line says everything). */
export function stop(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/**
 * Makes sure `bin` runs, installing redis-server if the machine allows it. Throws an Error with
 * one line saying what to install when it cannot.
 */
export function ensureRedisServer(bin: string, machine: () => Machine = thisMachine): void {
  if (runs(bin)) return;
  // A path the user chose is theirs to fix: installing a package would not put it there.
  if (process.env.REDIS_SERVER !== undefined) {
    throw stop(
      `@taskio/redis tests: REDIS_SERVER is set to "${bin}", which could not be run; fix the path or unset it.`,
    );
  }
  const plan = planInstall(machine());
  if (plan.kind === "stop") throw stop(plan.message);
  process.stderr.write(`@taskio/redis tests: redis-server is not installed; installing it (${plan.how})\n`);
  for (const step of plan.steps) {
    const ran = spawnSync(step[0]!, step.slice(1), {
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 10 * 60_000,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (ran.error !== undefined || ran.status !== 0) {
      throw stop(
        `${NEED} \`${step.join(" ")}\` failed (${ran.error?.message ?? `exit code ${ran.status}`}); install it by hand.`,
      );
    }
  }
  if (!runs(bin)) throw stop(`${NEED} \`${plan.how}\` ran but "${bin}" still cannot be run; install it by hand.`);
}
