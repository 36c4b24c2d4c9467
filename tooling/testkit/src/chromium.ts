import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Headless Chromium for the tests that look at a page taskio renders (the demo's timeline, the API
 * reference). Debian's chromium, found on PATH: the tests install nothing, CI installs it.
 */
export function chromium(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter))
    for (const name of ["chromium", "chromium-browser"]) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(
    "chromium is not installed: this test opens a page in a headless browser. " +
      "Install Debian's chromium package (apt-get install -y chromium).",
  );
}

/**
 * Opens a local page in headless Chromium with a throwaway profile, nothing fetched in the
 * background, and a generous deadline (a loaded machine); resolves with its exit code and output.
 */
export function browse(
  page: string,
  action: string[],
  options: { profile: string; width: number; height: number },
): Promise<{ code: number; output: string }> {
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${options.profile}`,
    `--window-size=${options.width},${options.height}`,
    ...action,
    `file://${page}`,
  ];
  return new Promise((resolve) => {
    execFile(chromium(), args, { timeout: 120_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}
