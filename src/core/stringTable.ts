// Interns strings that repeat on every event (connection names) as small integers, so each
// event stores 4 bytes instead of a pointer, and columnar readers can compare numbers.

export class StringTable {
  private readonly indexes = new Map<string, number>();
  private readonly names: string[] = [];
  // Consecutive events nearly always come from the same connection: skip the Map then.
  private lastName: string | undefined;
  private lastIndex = -1;

  intern(name: string): number {
    if (name === this.lastName) return this.lastIndex;
    let index = this.indexes.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.indexes.set(name, index);
    }
    this.lastName = name;
    this.lastIndex = index;
    return index;
  }

  nameOf(index: number): string | undefined {
    return this.names[index];
  }

  all(): string[] {
    return this.names.slice();
  }
}
