// A task boundary for long work on one thread: queued messages (a cancel) get through, without a timer's 4 ms clamp.

/** A message port to itself: a task boundary without a timer's clamping (4 ms once timers nest). */
let yieldPort: MessagePort | null = null;
/** The receiving port; in Node it keeps the process alive only while a yield waits on it. */
let receiver: (MessagePort & { ref?: () => void; unref?: () => void }) | null = null;
const yieldWaiting: (() => void)[] = [];

/**
 * Resolves after the tasks already queued on this thread's event loop have run. Nested timers wait at least 4 ms in
 * browsers, which at one yield per 50 ms cost 8% of a long epoch; a MessageChannel message is delivered at once.
 */
export function yieldTask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!yieldPort) {
    const channel = new MessageChannel();
    receiver = channel.port1;
    channel.port1.onmessage = () => {
      yieldWaiting.shift()?.();
      if (yieldWaiting.length === 0) receiver?.unref?.();
    };
    yieldPort = channel.port2;
  }
  const port = yieldPort;
  return new Promise((resolve) => {
    // Node: an unreferenced port lets the process exit with the message still queued (a pending await, exit 13).
    if (yieldWaiting.length === 0) receiver?.ref?.();
    yieldWaiting.push(resolve);
    port.postMessage(null);
  });
}
