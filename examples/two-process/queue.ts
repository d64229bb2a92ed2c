// A minimal file-based queue: one JSON file per message, `{ headers, body }`. Stands in for
// Kafka / SQS / Redis: what matters is that the trace context travels in the message headers.

import fs from 'node:fs/promises';
import path from 'node:path';

export interface QueueMessage {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export async function enqueue(directory: string, message: QueueMessage): Promise<void> {
  await fs.mkdir(directory, { recursive: true });
  const file = path.join(directory, `${Date.now()}-${process.pid}.json`);
  // Write then rename, so a consumer never reads half a message.
  await fs.writeFile(`${file}.tmp`, JSON.stringify(message));
  await fs.rename(`${file}.tmp`, file);
}

export async function dequeue(directory: string, pollMillis = 50): Promise<QueueMessage> {
  await fs.mkdir(directory, { recursive: true });
  for (;;) {
    const names = (await fs.readdir(directory)).filter((name) => name.endsWith('.json')).sort();
    const first = names[0];
    if (first) {
      const file = path.join(directory, first);
      const message = JSON.parse(await fs.readFile(file, 'utf8')) as QueueMessage;
      await fs.rm(file);
      return message;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMillis));
  }
}
