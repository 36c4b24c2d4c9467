// Fails early and clearly on an unsupported Node, before any tool prints a confusing error.
const major = Number(process.versions.node.split(".")[0]);
if (major < 20) {
  console.error(`taskio needs Node >= 20; this is Node ${process.versions.node}. Install Node 20 or newer.`);
  process.exit(1);
}
