// Run as an unprivileged user (the follower test starts it with setpriv when the tests run as
// root, as CI does): follows PATH, which this user may not read, and reports what it saw; after
// the parent makes the file readable and says so on stdin, polls again. One JSON line per step.
import { createInterface } from 'node:readline';
import { follow } from './follow-harness.js';

const path = process.argv[2] ?? '';
const h = await follow(path);
await h.poll();
await h.poll();
process.stdout.write(`${JSON.stringify({ errors: h.got.errors, lines: h.got.lines })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'fixed') continue;
  await h.poll();
  process.stdout.write(`${JSON.stringify({ errors: h.got.errors, lines: h.got.lines })}\n`);
  break;
}
await h.stop();
process.exit(0);
