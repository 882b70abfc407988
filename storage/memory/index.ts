export { MemoryJournal } from './journal.ts';
export { MemorySnapshots } from './snapshots.ts';
export { MemoryBoard } from './board.ts';
