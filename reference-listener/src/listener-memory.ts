// What the listeners of one process remember across supervisor restarts, in memory only: how often each
// message was delivered, so a malformed message is counted across all its deliveries (a redelivered message
// can reach any listener). What must survive the process is in the delivery journal (delivery-journal.ts).

export class ListenerMemory {
  private readonly deliveries = new Map<number, number>();

  recordDelivery(messageId: number): number {
    const count = (this.deliveries.get(messageId) ?? 0) + 1;
    this.deliveries.delete(messageId);
    this.deliveries.set(messageId, count);
    // Bounded: a message nobody acknowledges for 10,000 others is forgotten, not kept forever.
    if (this.deliveries.size > 10_000) {
      const oldest = this.deliveries.keys().next().value;
      if (oldest !== undefined) this.deliveries.delete(oldest);
    }
    return count;
  }

  forgetDeliveries(messageId: number): void {
    this.deliveries.delete(messageId);
  }
}
