// A minimal Language Server Protocol client over stdio (JSON-RPC 2.0 with Content-Length framing),
// enough to drive a real language server from a test: requests and notifications in both
// directions, every wait bounded by a timeout, and a kill that always runs.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { killGroup } from "./support.js";

/** A JSON-RPC message as it travels on the wire. */
interface Message {
  jsonrpc: "2.0";
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Answers one kind of request the server sends to the client. */
export type RequestHandler = (params: unknown) => unknown;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  method: string;
  test: (params: unknown) => boolean;
  resolve: (params: unknown) => void;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/** Frames one message with its Content-Length header. */
function frame(message: Message): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

/** A language server child process and the JSON-RPC connection to it. */
export class LspClient {
  /** Everything the server logged (stderr, window/logMessage, window/showMessage), for failure messages. */
  readonly log: string[] = [];
  /** Every server-to-client request and notification, in order, by method. */
  readonly received: { method: string; params: unknown }[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, RequestHandler>();
  private waiters: Waiter[] = [];
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private exited = false;

  constructor(command: string, args: readonly string[], cwd: string) {
    this.child = spawn(command, args, { cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => this.log.push(`[stderr] ${chunk}`));
    this.child.stdin.on("error", () => {
      // The server went away; pending requests are rejected by the exit handler.
    });
    this.child.on("exit", (code, signal) => {
      this.exited = true;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`${p.method}: the server exited (${code ?? signal}) before answering\n${this.logText()}`));
        this.pending.delete(id);
      }
    });
  }

  /** Registers the answer to a request the server sends (unregistered methods are answered with null). */
  onRequest(method: string, handler: RequestHandler): void {
    this.handlers.set(method, handler);
  }

  /** Sends a request and waits at most `timeoutMs` for its result. */
  request<T>(method: string, params: unknown, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.exited) {
        reject(new Error(`${method}: the server is not running\n${this.logText()}`));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs} ms\n${this.logText()}`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** Resolves with the params of the first server message `method` (past or future) that passes `test`. */
  waitFor(method: string, test: (params: unknown) => boolean, timeoutMs: number): Promise<unknown> {
    const seen = this.received.find((m) => m.method === method && test(m.params));
    if (seen) return Promise.resolve(seen.params);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { method, test, resolve: () => undefined };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${method} from the server within ${timeoutMs} ms\n${this.logText()}`));
      }, timeoutMs);
      waiter.resolve = (params) => {
        clearTimeout(timer);
        resolve(params);
      };
      this.waiters.push(waiter);
    });
  }

  /** Asks the server to shut down (bounded), then kills its process group whatever happened. */
  async close(): Promise<void> {
    try {
      if (!this.exited) {
        await this.request("shutdown", null, 5_000);
        this.notify("exit", null);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2_000);
          this.child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    } catch {
      // Killed below.
    } finally {
      this.kill();
    }
  }

  /** Kills the server and everything it started. */
  kill(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    if (!this.exited) killGroup(this.child.pid);
  }

  /** The server's log as one string. */
  logText(): string {
    return this.log.join("\n").slice(-8_000);
  }

  private send(message: Message): void {
    if (!this.exited) this.child.stdin.write(frame(message));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString("ascii");
      const length = /Content-Length: *(\d+)/iu.exec(header);
      if (!length) throw new Error(`bad LSP header: ${header}`);
      const start = headerEnd + HEADER_END.length;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined) {
      const pending = this.pending.get(Number(message.id));
      if (!pending) return;
      this.pending.delete(Number(message.id));
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}\n${this.logText()}`));
      else pending.resolve(message.result ?? null);
      return;
    }
    const { method, params } = message;
    this.received.push({ method, params });
    if (method === "window/logMessage" || method === "window/showMessage") {
      this.log.push(`[${method}] ${(params as { message?: string }).message ?? ""}`);
    }
    if (message.id !== undefined) {
      const handler = this.handlers.get(method);
      let reply: Message;
      try {
        reply = { jsonrpc: "2.0", id: message.id, result: handler ? (handler(params) ?? null) : null };
      } catch (error) {
        reply = { jsonrpc: "2.0", id: message.id, error: { code: -32603, message: String(error) } };
      }
      this.send(reply);
    }
    for (const waiter of this.waiters.filter((w) => w.method === method && w.test(params))) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(params);
    }
  }
}
