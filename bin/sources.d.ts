export declare const ROOT: string;
export declare const DIST: string;
export declare const STAMP: string;
export declare const SOURCE_DIRS: string[];
export declare function fingerprint(): string;
export declare function distIsCurrent(): boolean;
export declare function ensureBuilt(): void;
