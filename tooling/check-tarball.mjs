// Fails unless the package's npm tarball holds only dist/, README.md, LICENSE and package.json.
import { execFileSync } from "node:child_process";

const [report] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" }),
);
const allowed = (path) => path.startsWith("dist/") || ["README.md", "LICENSE", "package.json"].includes(path);
const files = report.files.map((f) => f.path);
const stray = files.filter((path) => !allowed(path));
const missing = ["README.md", "LICENSE", "package.json"].filter((path) => !files.includes(path));
if (!files.some((path) => path.startsWith("dist/"))) missing.push("dist/");
if (stray.length || missing.length) {
  console.error(
    `${report.name}: tarball ${stray.length ? `has unexpected files: ${stray.join(", ")}` : ""}${missing.length ? ` lacks: ${missing.join(", ")}` : ""}`,
  );
  process.exit(1);
}
console.log(
  `${report.name}@${report.version}: tarball ok (${files.length} files, ${report.size} bytes): ${files.join(", ")}`,
);
