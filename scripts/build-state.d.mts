// Types for the tests of scripts/build-state.mjs, which plain node runs before any build.
export declare const STAMP: string;
export declare function buildIsCurrent(root: string): boolean;
