import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kafkajsFrame } from '../src/testing/kafkajs-wire';
import type { Rate } from './rate';

const REPO_ROOT = resolve(__dirname, '../../..');
const SINK = resolve(__dirname, 'tcp-sink.ts');

/** A Produce v7 frame exactly as kafkajs encodes `count` keyless messages over `partitions`. */
export async function produceRequestFrame(
  topic: string,
  partitions: number,
  count: number,
  valueBytes: number,
): Promise<Buffer> {
  const value = Buffer.alloc(valueBytes, 'x');
  const perPartition = Math.ceil(count / partitions);
  return kafkajsFrame('produce', 7, {
    acks: 1,
    timeout: 30_000,
    compression: 0,
    topicData: [
      {
        topic,
        partitions: Array.from({ length: partitions }, (_, partition) => ({
          partition,
          messages: Array.from({ length: perPartition }, () => ({ key: null, value })),
        })),
      },
    ],
  });
}

/**
 * The floor the broker is measured against: the same Produce frames sent over loopback TCP to
 * a do-nothing peer process with the same request/response pattern and in-flight window.
 */
export async function tcpBaseline(
  frame: Buffer,
  messagesPerFrame: number,
  payloadBytesPerFrame: number,
  inFlight: number,
  durationMs: number,
): Promise<Rate> {
  const sink = spawn(process.execPath, ['-r', '@swc-node/register', SINK], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((done, fail) => {
      sink.stdout.once('data', (chunk: Buffer) => done(Number(chunk.toString().trim())));
      sink.once('exit', () => fail(new Error('baseline sink exited at start')));
    });
    const socket = await open(port);
    const frames = await pump(socket, frame, inFlight, durationMs);
    socket.destroy();
    return {
      messages: frames.count * messagesPerFrame,
      bytes: frames.count * payloadBytesPerFrame,
      seconds: frames.seconds,
    };
  } finally {
    sink.kill('SIGTERM');
  }
}

/**
 * The client-side ceiling: how many messages/s kafkajs can turn into Produce frames on one core
 * when it does nothing else (no socket, no broker), after a short untimed JIT warm-up.
 */
export async function kafkajsEncodeCeiling(
  partitions: number,
  count: number,
  valueBytes: number,
  durationMs: number,
): Promise<Rate> {
  const encodeFor = async (ms: number): Promise<number> => {
    const start = performance.now();
    let frames = 0;
    while (performance.now() - start < ms) {
      await produceRequestFrame('bench-encode', partitions, count, valueBytes);
      frames += 1;
    }
    return frames;
  };
  await encodeFor(300);
  const start = performance.now();
  const frames = await encodeFor(durationMs);
  const seconds = (performance.now() - start) / 1000;
  return { messages: frames * count, bytes: frames * count * valueBytes, seconds };
}

function open(port: number): Promise<Socket> {
  return new Promise((done, fail) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => done(socket));
    socket.setNoDelay(true);
    socket.once('error', fail);
  });
}

/** Keeps `inFlight` frames outstanding until the deadline; counts acknowledged frames. */
function pump(
  socket: Socket,
  frame: Buffer,
  inFlight: number,
  durationMs: number,
): Promise<{ count: number; seconds: number }> {
  return new Promise((done) => {
    const start = performance.now();
    let outstanding = 0;
    let acked = 0;
    let ackBytes = 0;
    const fill = (): void => {
      while (outstanding < inFlight && performance.now() - start < durationMs) {
        socket.write(frame);
        outstanding += 1;
      }
      if (outstanding === 0) done({ count: acked, seconds: (performance.now() - start) / 1000 });
    };
    socket.on('data', (chunk: Buffer) => {
      ackBytes += chunk.length;
      const completed = Math.floor(ackBytes / 8);
      ackBytes -= completed * 8;
      acked += completed;
      outstanding -= completed;
      fill();
    });
    fill();
  });
}
