import { afterEach, describe, expect, test, vi } from "vitest";
import { ensureRedisServer, type Machine, planInstall } from "./install-redis.js";

const linux: Machine = { platform: "linux", root: false, debian: false, aptGet: false, brew: false };

describe("the test setup installs a missing redis-server where it safely can", () => {
  test("Debian as root: apt-get installs redis-server, after refreshing the package lists", () => {
    const plan = planInstall({ ...linux, debian: true, aptGet: true, root: true });
    expect(plan.kind).toBe("install");
    expect(plan.kind === "install" && plan.steps).toEqual([
      ["apt-get", "update", "-qq"],
      ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "redis-server"],
    ]);
  });

  test("with Homebrew (macOS or Linux): brew installs redis", () => {
    for (const machine of [
      { ...linux, platform: "darwin" as const, brew: true },
      { ...linux, brew: true },
    ]) {
      expect(planInstall(machine)).toEqual({
        kind: "install",
        how: "brew install redis",
        steps: [["brew", "install", "redis"]],
      });
    }
  });
});

describe("where it cannot install, it stops with one line that says what to install and how", () => {
  test.each([
    ["Debian without root", { ...linux, debian: true, aptGet: true }, /`sudo apt-get install redis-server`/],
    ["macOS without Homebrew", { ...linux, platform: "darwin" as const }, /install Homebrew .* `brew install redis`/],
    ["another system", linux, /install it with your package manager/],
  ])("%s", (_, machine, how) => {
    const plan = planInstall(machine);
    expect(plan.kind).toBe("stop");
    const message = plan.kind === "stop" ? plan.message : "";
    expect(message).toMatch(/^@taskio\/redis tests need redis-server \(>= 6\.2\) on PATH/);
    expect(message).toMatch(how);
    expect(message).toMatch(/or set REDIS_SERVER to its path\.$/);
    expect(message).not.toMatch(/\n/);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("the setup throws that line, without a stack, and runs nothing", () => {
    vi.stubEnv("REDIS_SERVER", undefined);
    const machine = vi.fn(() => ({ ...linux, debian: true, aptGet: true }));
    let thrown: Error | undefined;
    try {
      ensureRedisServer("/nonexistent/redis-server", machine);
    } catch (error) {
      thrown = error as Error;
    }
    expect(machine).toHaveBeenCalledOnce();
    expect(thrown?.message).toMatch(/`sudo apt-get install redis-server`/);
    expect(thrown?.stack).toBe(thrown?.message);
  });

  test("a REDIS_SERVER that cannot be run is reported as such, not installed over", () => {
    vi.stubEnv("REDIS_SERVER", "/nonexistent/redis-server");
    const machine = vi.fn(() => ({ ...linux, debian: true, aptGet: true, root: true }));
    expect(() => ensureRedisServer("/nonexistent/redis-server", machine)).toThrow(
      /REDIS_SERVER is set to "\/nonexistent\/redis-server", which could not be run/,
    );
    expect(machine).not.toHaveBeenCalled();
  });

  test("a redis-server that runs is used as it is", () => {
    const machine = vi.fn(() => linux);
    ensureRedisServer(process.env.REDIS_SERVER ?? "redis-server", machine);
    expect(machine).not.toHaveBeenCalled();
  });
});
