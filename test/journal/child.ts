// Test-side handle on a bid-child process: request/response over IPC, and a hard kill.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundled } from '../helpers/bundle.ts';

const SCRIPT = fileURLToPath(new URL('./bid-child.ts', import.meta.url));

export class EngineChild {
  private readonly proc: ChildProcess;
  private readonly waiting = new Map<number, (m: any) => void>();
  private next = 1;
  readonly ready: Promise<{ recovered: { auctions: number; events: number; replies: number; ms: number } }>;
  readonly exited: Promise<number | null>;

  /** A child on `databaseUrl`, from a bundle of bid-child.ts (no loader to start). */
  static async start(databaseUrl: string): Promise<EngineChild> {
    return new EngineChild(await bundled(SCRIPT), databaseUrl);
  }

  private constructor(script: string, databaseUrl: string) {
    this.proc = fork(script, [], {
      execArgv: [],
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
    this.ready = new Promise((resolve, reject) => {
      this.proc.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      this.proc.on('message', (m: any) => {
        if (m.t === 'ready') resolve(m);
        else this.waiting.get(m.id)?.(m);
      });
    });
  }

  private call(msg: object): Promise<any> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, (m) => { this.waiting.delete(id); resolve(m); });
      this.proc.send({ ...msg, id });
    });
  }

  create(spec: object, by: string, rid: string) {
    return this.call({ t: 'create', spec, by, rid }).then((m) => m.reply);
  }

  cmd(cmd: object) {
    return this.call({ t: 'cmd', cmd }).then((m) => m.reply);
  }

  /** Send without waiting; `onReply` gets the reply if it arrives before the process dies. */
  fire(cmd: object, onReply: (reply: any) => void): void {
    void this.call({ t: 'cmd', cmd }).then((m) => onReply(m.reply));
  }

  states(auctions: string[]) {
    return this.call({ t: 'states', auctions }).then((m) => m.states);
  }

  kill(): Promise<number | null> {
    this.proc.kill('SIGKILL');
    return this.exited;
  }

  async stop(): Promise<void> {
    this.proc.send({ t: 'stop' });
    await this.exited;
  }
}
