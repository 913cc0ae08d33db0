// A set of ids that forgets its oldest entries, so a listener that runs for months stays within bounded memory.

export class RecentIds {
  private readonly ids = new Set<number>();
  private readonly capacity: number;

  constructor(capacity = 100_000) {
    this.capacity = capacity;
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  add(id: number): void {
    // Re-adding moves the id to the newest end, so an id still in use is the last to be forgotten.
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }

  delete(id: number): void {
    this.ids.delete(id);
  }
}
