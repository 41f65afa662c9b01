// The sender's events for any number of listeners. Rust keeps one channel per window (a new
// `delivery_events` replaces the last), so the channel is opened here, at the first listener,
// and every event goes to every listener. Once the last one leaves, the channel is given up:
// the next first listener opens a new one, which Rust takes in its place.
import type { DeliveryEvent } from '../lib/bindings';
import { deliveryEvents } from '../lib/ipc';

type Listener = (e: DeliveryEvent) => void;

const listeners = new Set<Listener>();
/** Bumped for each channel opened: events of a given-up channel are dropped. */
let channel = 0;
let open = false;

function start() {
  open = true;
  const mine = ++channel;
  deliveryEvents((e) => {
    if (mine !== channel) return;
    for (const listener of [...listeners]) listener(e);
  }).catch((err: unknown) => {
    console.error('delivery_events failed', err);
    if (mine === channel) open = false;
  });
}

/** Calls `listener` with each event from now on; answers the function that stops it (for `onMount`/`$effect` cleanup). */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (!open) start();
  return () => {
    if (!listeners.delete(listener) || listeners.size > 0) return;
    open = false;
    channel++;
  };
}
