// Counts spans dropped during decoding and keeps the first few reasons, so a partial-success
// response can tell the sender what was wrong without echoing a message per span.

const MAX_MESSAGES = 5;

export class RejectionLog {
  count = 0;
  private readonly messages: string[] = [];
  /** Rejections that one of the kept messages accounts for. */
  private described = 0;

  add(message: string): void {
    this.addMany(1, message);
  }

  /** Adds `count` rejections that share one message. */
  addMany(count: number, message: string): void {
    if (count <= 0) return;
    this.count += count;
    if (this.messages.length < MAX_MESSAGES) {
      this.messages.push(message);
      this.described += count;
    }
  }

  /** The kept messages, followed by "and N more" when some rejections have no message. */
  summary(): string[] {
    const omitted = this.count - this.described;
    return omitted > 0 ? [...this.messages, `and ${omitted} more`] : [...this.messages];
  }
}
