import type { UserConfig } from "vitest/config";
/** `setup`: the setup file's absolute path; default @taskio/testkit/setup as the package resolves it. */
export declare function taskioVitest(overrides?: UserConfig, options?: { setup?: string }): UserConfig;
