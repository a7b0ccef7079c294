// A worker id as it appears in the spool directory's file names (auth and accounting journals, forward queues): one
// rule, so that whatever reads another worker's files back finds them under the name that worker wrote.
export const workerFileTag = (workerId: string) => workerId.replace(/[^A-Za-z0-9_.-]/g, "_");
