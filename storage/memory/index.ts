export { MemoryJournal } from './journal.ts';
export { MemorySnapshots } from './snapshots.ts';
export { MemoryBoard } from './board.ts';
export { MemoryAccounts, MemorySessions } from './accounts.ts';
export { MemoryAttempts } from './attempts.ts';
