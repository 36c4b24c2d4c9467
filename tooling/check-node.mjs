// Fails early and clearly on an unsupported Node, before any tool prints a confusing error.
// Node 20.19 and 22.12 are where `require()` of an ES module works without a flag (taskio ships ESM
// only); Node 21 never had it unflagged.
import { pathToFileURL } from "node:url";

export const SUPPORTED = "Node 24 (recommended), 22.12 or newer, or 20.19 or newer";

/** Whether taskio supports this Node version ("20.19.0", "v24.1.0"). */
export function isSupported(version) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  if (major === 20) return minor >= 19;
  if (major === 22) return minor >= 12;
  return major >= 23;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && !isSupported(process.versions.node)) {
  console.error(`taskio needs ${SUPPORTED}; this is Node ${process.versions.node}.`);
  process.exit(1);
}
