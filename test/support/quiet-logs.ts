/**
 * Runs before each test file (vitest setupFiles): the code under test logs through the process
 * logger, whose level entry points set from LOG_LEVEL; tests are no entry point, so they set it
 * here. Child processes the tests spawn read LOG_LEVEL from the env they are given.
 */
import { configureLogger } from '../../src/logger.js';

configureLogger({ level: 'silent' });
