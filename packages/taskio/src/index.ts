export * from "@taskio/combinators";
export * from "@taskio/core";
export * from "@taskio/queue";
export * from "@taskio/semaphore";
export * from "@taskio/timeouts";
