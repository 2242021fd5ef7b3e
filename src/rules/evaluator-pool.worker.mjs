// Worker-thread entry of the evaluator pool: registers tsx (worker threads do not inherit the
// main thread's loader) and then runs the TypeScript thread module.
import { register } from 'tsx/esm/api';

register();
await import('./evaluator-pool.thread.ts');
