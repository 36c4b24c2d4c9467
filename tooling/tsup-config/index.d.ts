import type { Options } from "tsup";
export declare function taskioTsup(overrides?: Options): Options | Options[];
