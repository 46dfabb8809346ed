// The event subscriptions of one client connection, and how an event is delivered through them.
// The wildcard depends on the era: "*" (or a missing field) on 2016 servers, the empty string
// (or a missing field) on develop, where "*" is a literal that matches nothing a server sends
// (see eras/serverRules.ts for the sources).
import type { EventData, Subscription } from '../protocol/frames';

/** What a connection receives for one published event. */
export type Delivery =
  | { kind: 'none' }
  /** Deliver the event as published (no matching subscription carries a `body`). */
  | { kind: 'as-is' }
  /** Deliver this copy, whose body has the subscriptions' `body` fields merged in. */
  | { kind: 'merged'; event: EventData };

const NONE: Delivery = { kind: 'none' };
const AS_IS: Delivery = { kind: 'as-is' };

export type Wildcard = '*' | '';

export class SubscriptionList {
  private items: Subscription[] = [];

  constructor(private readonly wildcard: Wildcard = '*') {}

  get size(): number {
    return this.items.length;
  }

  /**
   * Adds a subscription. One with the same filter replaces the old one (its `body` may
   * differ), as a server keeps one registration per filter and connection.
   */
  add(sub: Subscription): void {
    const index = this.items.findIndex((existing) => this.sameFilter(existing, sub));
    if (index >= 0) this.items.splice(index, 1);
    // Newest first, as the servers list their registrations (`[Reg|Regs]`).
    this.items.unshift(sub);
  }

  /** Removes the subscriptions with this filter; returns how many were removed. */
  remove(filter: Subscription): number {
    const before = this.items.length;
    this.items = this.items.filter((existing) => !this.sameFilter(existing, filter));
    return before - this.items.length;
  }

  /** The subscriptions, newest first, as given. */
  list(): Subscription[] {
    return this.items.map((sub) => ({ ...sub }));
  }

  /** A field of a subscription as the server stores it: the wildcard when missing. */
  stored(value: string | undefined): string {
    return value ?? this.wildcard;
  }

  /** Does this subscription match the event? */
  matches(sub: Subscription, event: EventData): boolean {
    return (
      sub.class === event.class &&
      this.fieldMatches(sub.subclass, event.subclass) &&
      this.fieldMatches(sub.type, event.type) &&
      this.fieldMatches(sub.obj_id, event.obj_id) &&
      // develop has no service key (the connection's own service is used); 2016 compares it.
      (this.wildcard === '' || sub.service === undefined || sub.service === '*' || sub.service === event.service)
    );
  }

  /**
   * How this event reaches the client: once, however many subscriptions match. Bodies of the
   * matching subscriptions are merged under the event's own body, whose fields win (NkSERVICE
   * does `maps:merge(RegBody, Body)`): a subscription can tag events, never mask their data.
   */
  deliveryOf(event: EventData): Delivery {
    let matched = false;
    let extra: Record<string, unknown> | undefined;
    for (const sub of this.items) {
      if (!this.matches(sub, event)) continue;
      matched = true;
      if (sub.body) extra = { ...extra, ...sub.body };
    }
    if (!matched) return NONE;
    if (!extra) return AS_IS;
    return { kind: 'merged', event: { ...event, body: { ...extra, ...event.body } } };
  }

  private fieldMatches(pattern: string | undefined, value: string | undefined): boolean {
    return pattern === undefined || pattern === this.wildcard || pattern === value;
  }

  /** Same filter fields, where an omitted field and the wildcard mean the same thing. */
  private sameFilter(a: Subscription, b: Subscription): boolean {
    return (
      a.class === b.class &&
      this.stored(a.subclass) === this.stored(b.subclass) &&
      this.stored(a.type) === this.stored(b.type) &&
      this.stored(a.obj_id) === this.stored(b.obj_id) &&
      (this.wildcard === '' || this.stored(a.service) === this.stored(b.service))
    );
  }
}
