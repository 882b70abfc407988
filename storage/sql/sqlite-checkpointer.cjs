// The SQLite checkpointer thread: copies the WAL back into the database file on a connection of its
// own, so neither the event loop nor the writer thread ever waits for it. PASSIVE never blocks writers
// or waits for readers. Plain CommonJS: it needs nothing but better-sqlite3.
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const db = new Database(workerData.filename);
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or locked: the next tick tries again
  }
}, workerData.everyMs);

parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
