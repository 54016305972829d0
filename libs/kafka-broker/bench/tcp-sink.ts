import { createServer } from 'node:net';

/**
 * Baseline peer for the broker benchmark, run as its own process like the broker: reads
 * size-prefixed request frames and answers each with an 8-byte response frame (size, correlation
 * id), doing no other work. Prints its port on stdout.
 */
const server = createServer((socket) => {
  const counter = new FrameCounter();
  socket.on('data', (chunk: Buffer) => {
    const answered = counter.push(chunk);
    if (answered === 0) return;
    const acks = Buffer.alloc(8 * answered);
    for (let i = 0; i < answered; i++) acks.writeInt32BE(4, i * 8);
    socket.write(acks);
  });
  socket.on('error', () => socket.destroy());
});

/** Counts complete size-prefixed frames in a byte stream without copying their bodies. */
class FrameCounter {
  private readonly prefix = Buffer.alloc(4);
  private prefixFilled = 0;
  private bodyLeft = 0;

  push(chunk: Buffer): number {
    let completed = 0;
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const used = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= used;
        at += used;
        if (this.bodyLeft === 0) completed += 1;
        continue;
      }
      this.prefix[this.prefixFilled++] = chunk[at++];
      if (this.prefixFilled === 4) {
        this.prefixFilled = 0;
        this.bodyLeft = this.prefix.readInt32BE(0);
        if (this.bodyLeft === 0) completed += 1;
      }
    }
    return completed;
  }
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address !== 'string') process.stdout.write(`${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
