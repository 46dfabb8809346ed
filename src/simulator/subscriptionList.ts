// The event subscriptions of one client connection, and how an event is delivered through them.
import { subscriptionMatches, type EventData, type Subscription } from '../protocol/frames';

/** What a connection receives for one published event. */
export type Delivery =
  | { kind: 'none' }
  /** Deliver the event as published (no matching subscription carries a `body`). */
  | { kind: 'as-is' }
  /** Deliver this copy, whose body has the subscriptions' `body` fields merged in. */
  | { kind: 'merged'; event: EventData };

const NONE: Delivery = { kind: 'none' };
const AS_IS: Delivery = { kind: 'as-is' };

export class SubscriptionList {
  private items: Subscription[] = [];

  get size(): number {
    return this.items.length;
  }

  /**
   * Adds a subscription. One with the same filter replaces the old one (its `body` may
   * differ), as a server keeps one registration per filter and connection.
   */
  add(sub: Subscription): void {
    const index = this.items.findIndex((existing) => sameFilter(existing, sub));
    if (index >= 0) this.items[index] = sub;
    else this.items.push(sub);
  }

  /** Removes the subscriptions with this filter; returns how many were removed. */
  remove(filter: Subscription): number {
    const before = this.items.length;
    this.items = this.items.filter((existing) => !sameFilter(existing, filter));
    return before - this.items.length;
  }

  list(): Subscription[] {
    return this.items.map((sub) => ({ ...sub }));
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
      if (!subscriptionMatches(sub, event)) continue;
      matched = true;
      if (sub.body) extra = { ...extra, ...sub.body };
    }
    if (!matched) return NONE;
    if (!extra) return AS_IS;
    return { kind: 'merged', event: { ...event, body: { ...extra, ...event.body } } };
  }
}

/** Same filter fields, where an omitted field and `"*"` mean the same thing. */
function sameFilter(a: Subscription, b: Subscription): boolean {
  return (
    a.class === b.class &&
    wildcard(a.subclass) === wildcard(b.subclass) &&
    wildcard(a.type) === wildcard(b.type) &&
    wildcard(a.obj_id) === wildcard(b.obj_id) &&
    wildcard(a.service) === wildcard(b.service)
  );
}

function wildcard(value: string | undefined): string {
  return value ?? '*';
}
