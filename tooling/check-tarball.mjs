// Fails unless the package's npm tarball holds only dist/, src/, README.md, LICENSE and package.json.
// src/ ships because the exports' "@taskio/source" condition names it (the workspace resolves sibling
// packages to their sources with it): no export may point at a file the tarball lacks.
import { execFileSync } from "node:child_process";

const [report] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" }),
);
const allowed = (path) =>
  path.startsWith("dist/") || path.startsWith("src/") || ["README.md", "LICENSE", "package.json"].includes(path);
const files = report.files.map((f) => f.path);
const stray = files.filter((path) => !allowed(path));
const missing = ["README.md", "LICENSE", "package.json"].filter((path) => !files.includes(path));
for (const dir of ["dist/", "src/"]) if (!files.some((path) => path.startsWith(dir))) missing.push(dir);
if (stray.length || missing.length) {
  console.error(
    `${report.name}: tarball ${stray.length ? `has unexpected files: ${stray.join(", ")}` : ""}${missing.length ? ` lacks: ${missing.join(", ")}` : ""}`,
  );
  process.exit(1);
}
console.log(
  `${report.name}@${report.version}: tarball ok (${files.length} files, ${report.size} bytes): ${files.join(", ")}`,
);
