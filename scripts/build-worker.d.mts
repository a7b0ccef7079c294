// Types for scripts/build-worker.mjs (plain JavaScript so it runs without tsx), for the TypeScript that imports it.
export declare const workerBundleIsCurrent: (outdir?: string) => boolean;
export declare const buildWorker: (outdir?: string) => Promise<{ outdir: string; inputs: number }>;
