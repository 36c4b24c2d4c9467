// `pnpm lint:catalog`: the dev tooling the packages share has one version, in pnpm-workspace.yaml's
// `catalog:`. Fails when a package.json writes a version of its own for a dependency the catalog
// names, or when two packages pin the same dev dependency outside the catalog. (sherif, in
// `pnpm lint:deps`, compares the versions written out; it does not look behind `catalog:`.)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const workspace = readFileSync(path.join(root, "pnpm-workspace.yaml"), "utf8");

/** The `key: value` lines of a top-level YAML block (a list's `- item` lines as keys). */
function block(name) {
  const body = new RegExp(`^${name}:\\n((?:[ \\t]+.*\\n|[ \\t]*#.*\\n)*)`, "m").exec(workspace)?.[1] ?? "";
  return body
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => line.replace(/^- /, ""));
}

const catalog = new Set(block("catalog").map((line) => line.split(/:\s/)[0].replace(/^["']|["']$/g, "")));
if (catalog.size === 0) throw new Error("pnpm-workspace.yaml has no `catalog:` entries");

/** The root manifest and every workspace package's (`packages:` globs of the form `dir/*`). */
const manifests = [path.join(root, "package.json")];
for (const glob of block("packages")) {
  const dir = /^["']?([\w.-]+)\/\*["']?$/.exec(glob)?.[1];
  if (dir === undefined) throw new Error(`check-catalog understands \`dir/*\` workspace globs only, got ${glob}`);
  for (const name of readdirSync(path.join(root, dir))) {
    const manifest = path.join(root, dir, name, "package.json");
    if (existsSync(manifest)) manifests.push(manifest);
  }
}

const problems = [];
/** Non-catalog dev dependencies → the manifests that pin them. */
const pinned = new Map();
for (const file of manifests) {
  const where = path.relative(root, file);
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  for (const field of ["dependencies", "devDependencies", "optionalDependencies"]) {
    for (const [dep, spec] of Object.entries(pkg[field] ?? {})) {
      if (spec.startsWith("workspace:")) continue;
      if (catalog.has(dep)) {
        if (spec !== "catalog:") problems.push(`${where}: ${field}.${dep} is "${spec}"; write "catalog:"`);
      } else if (field === "devDependencies") {
        pinned.set(dep, [...(pinned.get(dep) ?? []), where]);
      }
    }
  }
}
for (const [dep, where] of pinned) {
  if (where.length > 1) {
    problems.push(
      `${dep} is pinned in ${where.join(", ")}; add it to pnpm-workspace.yaml's catalog and write "catalog:"`,
    );
  }
}

if (problems.length) {
  console.error(`check-catalog: shared dependencies outside the catalog:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  process.exitCode = 1;
} else {
  console.log(
    `check-catalog: ${manifests.length} package.json files take the ${catalog.size} shared tools from the catalog`,
  );
}
