/** The redis-server binary: `REDIS_SERVER` if set, else the one on PATH. */
export declare const REDIS_SERVER: string;

/** A free loopback port, as the OS hands it out. */
export declare function freePort(): Promise<number>;

/** The server's version (`6.2.14`), or throws one line saying what to install. */
export declare function redisServerVersion(): string;

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops it with the start's `stopSignal` and waits until it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts redis-server on `port` (default: a free one), bound to 127.0.0.1, persistence off, and
 * waits until it answers. `stopSignal` (default SIGKILL: a crash) is what `stop()` sends.
 */
export declare function startRedisServer(options?: {
  port?: number;
  stopSignal?: NodeJS.Signals;
}): Promise<RedisServer>;
