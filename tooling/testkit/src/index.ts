export { CHAIN_BOTTOMS, type ChainBottom, type ChainOutcome, cancelDownChain } from "./cancel-chain.js";
export { currentClock, installVirtualClock, type VirtualClock } from "./clock.js";
export {
  cpuTime,
  expectCancelled,
  foreignWork,
  type Outcome,
  outcome,
  type SeededRandom,
  seededRandom,
  type Timeline,
  tick,
  timeline,
} from "./helpers.js";
export {
  DEFAULT_PROPERTY_SEED,
  propertyParams,
  propertySeed,
  readPropertyRuns,
  readPropertySeed,
} from "./property.js";
export { fakeFetch, readmeSnippets, runSnippet, type Snippet } from "./readme.js";
export { macrotask, settle } from "./runtime.js";
