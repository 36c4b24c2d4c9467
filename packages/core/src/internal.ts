/**
 * @taskio/core/internal: the helpers taskio's sibling packages share (argument checks, body
 * following, wait labels). Unstable: not covered by semver; a minor or patch release may change
 * or remove any of them. Applications should not import this entry.
 */
export { asyncGeneratorBodyError, awaitBody, type Caller, callAs, callInline, captureCaller } from "./bodies.js";
export { describeWait, labelWait } from "./describe.js";
export { describeValue } from "./errors.js";
export { cancelWithError, onDone } from "./future.js";
export { type AbortListener, listenAbort, readSignal, unlistenAbort } from "./signals.js";
export { isAsyncIterator, isCoroutine, isPromiseLike } from "./tasks.js";
