// Worker bootstrap: a worker's entry module is resolved before `--import` hooks apply (Node 20), so
// TypeScript support is registered here before the writer (a .ts module) is loaded.
import { workerData } from 'node:worker_threads';

const { register } = await import(workerData.tsx);
register();
await import(workerData.entry);
