// Types for scripts/build-worker.mjs (plain JavaScript so it runs without tsx), for the TypeScript that imports it.
export declare const workerBundleIsCurrent: (outdir?: string) => boolean;
export declare const buildWorker: (outdir?: string) => Promise<{ outdir: string; inputs: number }>;
export declare const workerBundleProblem: (outdir?: string) => string | undefined;
export declare const EXIT_BUNDLE_NOT_CURRENT: 78;
