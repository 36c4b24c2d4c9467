import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/**
 * Where a Node 24 is commonly installed: `npm i --prefix <dir> node@24` puts it in
 * `<dir>/node_modules/.bin/node`.
 */
const CANDIDATES = [
  "/opt/node24/node_modules/.bin/node",
  "/tmp/node24/node_modules/.bin/node",
  path.join(homedir(), ".cache/taskio-bench/node24/node_modules/.bin/node"),
];

function major(binary: string): number {
  try {
    return Number(execFileSync(binary, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).trim());
  } catch {
    return 0;
  }
}

/**
 * The Node that runs the measuring children when `--node` is not given: DESIGN.md's primary
 * line is Node 24. `TASKIO_BENCH_NODE` names a binary; otherwise the Node running the bench if it
 * is 24 or newer, else the first Node 24+ found where `npm i node@24` usually puts it, else the
 * Node running the bench.
 */
export function defaultNode(): { node: string; why: string } {
  const fromEnv = process.env.TASKIO_BENCH_NODE;
  if (fromEnv) return { node: fromEnv, why: "TASKIO_BENCH_NODE" };
  if (Number(process.versions.node.split(".")[0]) >= 24) return { node: process.execPath, why: "the running Node" };
  for (const candidate of CANDIDATES) {
    if (existsSync(candidate) && major(candidate) >= 24) return { node: candidate, why: "found Node 24+" };
  }
  return { node: process.execPath, why: "no Node 24 found: the running Node" };
}
