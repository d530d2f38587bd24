// Trap storms sent from a child process, so that the sender does not share an event loop with the
// receiver it measures (on 2 cores they still share the CPU: the figures say so). The child runs
// the simulator's own storm sender, one storm per source address and packet, all at once.
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { READER_NICE } from '@faultline/collector';
import { sendTrapStorm, type TrapStormResult } from '@faultline/simulator';

/** One storm: a captured or encoded trap repeated from a source address at a rate. */
export interface StormSpec {
  readonly sourceAddress: string;
  /** The trap's bytes, hex, and where its four request-id content bytes sit. */
  readonly packetHex: string;
  readonly requestIdOffset: number;
  readonly ratePerS: number;
  readonly count: number;
  /** UDP sockets the storm is spread over (default 1). */
  readonly sockets?: number;
}

interface SendRequest {
  readonly target: { readonly host: string; readonly port: number };
  readonly storms: readonly StormSpec[];
}

interface SendReply {
  readonly results: TrapStormResult[];
}

const CHILD = fileURLToPath(import.meta.url);

/** Sends every storm at once from a child process; resolves with each storm's result. */
export async function sendStorms(request: SendRequest): Promise<TrapStormResult[]> {
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // The sender stands in for the network, which does not slow down when Faultline is busy: it
  // runs at the priority the collector's trap-reading thread takes (where allowed), so that the
  // reader preempting it is not counted against the rate it achieves.
  try {
    // Without a pid the fork failed (told by 'error' below); pid 0 would mean this process.
    if (child.pid !== undefined) setPriority(child.pid, READER_NICE);
  } catch {
    // Not allowed (not root): both stay at the default priority.
  }
  return new Promise<TrapStormResult[]>((resolve, reject) => {
    let results: TrapStormResult[] | undefined;
    child.once('message', (reply: SendReply) => {
      results = reply.results;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (results !== undefined) resolve(results);
      else reject(new Error(`storm sender exited with ${String(code)} before answering`));
    });
    child.send(request);
  });
}

async function serve(request: SendRequest): Promise<SendReply> {
  const results = await Promise.all(
    request.storms.map((storm) =>
      sendTrapStorm({
        ratePerS: storm.ratePerS,
        count: storm.count,
        sourceAddress: storm.sourceAddress,
        target: request.target,
        sockets: storm.sockets ?? 1,
        packet: {
          bytes: Uint8Array.from(Buffer.from(storm.packetHex, 'hex')),
          requestIdOffset: storm.requestIdOffset,
        },
      }),
    ),
  );
  return { results };
}

if (process.argv[1] === CHILD && process.send !== undefined) {
  const send = process.send.bind(process);
  process.once('message', (request: SendRequest) => {
    serve(request)
      .then((reply) => {
        send(reply, () => {
          process.disconnect();
        });
      })
      .catch((error: unknown) => {
        process.stderr.write(`storm sender failed: ${String(error)}\n`);
        process.exitCode = 1;
        process.disconnect();
      });
  });
}
