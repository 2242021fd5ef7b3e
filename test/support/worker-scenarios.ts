/**
 * Scenarios of the worker-process tests: each takes its own queue prefix (a worker left over
 * from one scenario must never take another's jobs) and its own database.
 *
 *   const scenarios = workerScenarios({ households: 4000 });
 *   const t = await scenarios.seededDatabase('kill');   // counties + synthetic households
 *   const q = scenarios.newQueue();
 *   afterAll(() => scenarios.cleanup());                // every queue and database made
 */
import { createTestDatabase, type TestDatabase } from './database.js';
import { insertLangfangCounties, insertSyntheticHouseholds } from './fixtures.js';
import { type TestQueue, testQueue } from './queue.js';

export interface WorkerScenarios {
  /** A queue with a prefix of its own. */
  newQueue(): TestQueue;
  /** A migrated database without data. */
  emptyDatabase(label: string): Promise<TestDatabase>;
  /** A migrated database with the Langfang counties and the synthetic households. */
  seededDatabase(label: string): Promise<TestDatabase>;
  /** Cleans up every queue and drops every database made. */
  cleanup(): Promise<void>;
}

export function workerScenarios(options: { households: number }): WorkerScenarios {
  const queues: TestQueue[] = [];
  const databases: TestDatabase[] = [];
  const emptyDatabase = async (label: string) => {
    const t = await createTestDatabase(label);
    databases.push(t);
    return t;
  };
  return {
    newQueue() {
      const q = testQueue();
      queues.push(q);
      return q;
    },
    emptyDatabase,
    async seededDatabase(label) {
      const t = await emptyDatabase(label);
      await insertLangfangCounties(t.db);
      await insertSyntheticHouseholds(t.db, { count: options.households });
      return t;
    },
    async cleanup() {
      for (const q of queues) await q.cleanup();
      for (const t of databases) await t.drop();
    },
  };
}
