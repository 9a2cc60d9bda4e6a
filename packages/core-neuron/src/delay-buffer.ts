/**
 * A spike delay buffer: the indices of the neurons that spiked at each of the last `depth`
 * steps, kept as a ring of sparse lists so that delivering delayed spikes costs work
 * proportional to the number of spikes, not to neurons × delays.
 *
 * @example
 * ```ts
 * const buf = new SpikeDelayBuffer(1024, 41);
 * buf.push(Int32Array.of(3, 17));          // spikes of step t
 * buf.push(Int32Array.of());               // step t+1: none
 * buf.spikesAt(2);                         // Int32Array [3, 17]: the step two steps ago
 * buf.forEachInWindow((neuron, delay) => { ... }); // every spike of the last `depth` steps
 * ```
 */
export class SpikeDelayBuffer {
  readonly neurons: number;
  readonly depth: number;
  private readonly lists: Int32Array[];
  private readonly counts: Int32Array;
  /** Ring slot of the most recent step. */
  private head: number;
  private filled = 0;

  constructor(neurons: number, depth: number) {
    if (!(Number.isInteger(neurons) && neurons > 0))
      throw new RangeError(`SpikeDelayBuffer: neurons (${neurons}) must be a positive integer`);
    if (!(Number.isInteger(depth) && depth > 0)) throw new RangeError(`SpikeDelayBuffer: depth (${depth}) must be a positive integer`);
    this.neurons = neurons;
    this.depth = depth;
    this.lists = Array.from({ length: depth }, () => new Int32Array(neurons));
    this.counts = new Int32Array(depth);
    this.head = depth - 1;
  }

  /** Appends the spikes of a new step (neuron indices, each once); the oldest step drops out. */
  push(spikes: ArrayLike<number>): void {
    if (spikes.length > this.neurons) throw new RangeError(`SpikeDelayBuffer.push: ${spikes.length} spikes for ${this.neurons} neurons`);
    this.head = (this.head + 1) % this.depth;
    const list = this.lists[this.head];
    for (let k = 0; k < spikes.length; k++) {
      const i = spikes[k];
      if (!(i >= 0 && i < this.neurons)) throw new RangeError(`SpikeDelayBuffer.push: neuron index ${i} outside [0, ${this.neurons})`);
      list[k] = i;
    }
    this.counts[this.head] = spikes.length;
    this.filled = Math.min(this.filled + 1, this.depth);
  }

  /** The spikes of the step `delay` steps ago (1 = the most recent push). Empty before it was filled. */
  spikesAt(delay: number): Int32Array {
    if (!(Number.isInteger(delay) && delay >= 1 && delay <= this.depth)) {
      throw new RangeError(`SpikeDelayBuffer.spikesAt: delay ${delay} outside [1, ${this.depth}]`);
    }
    if (delay > this.filled) return new Int32Array(0);
    const slot = (this.head - delay + 1 + this.depth) % this.depth;
    return this.lists[slot].subarray(0, this.counts[slot]);
  }

  /** Calls `fn(neuron, delay)` for every buffered spike, delay 1..depth. */
  forEachInWindow(fn: (neuron: number, delay: number) => void): void {
    for (let d = 1; d <= this.filled; d++) {
      const slot = (this.head - d + 1 + this.depth) % this.depth;
      const list = this.lists[slot];
      for (let k = 0; k < this.counts[slot]; k++) fn(list[k], d);
    }
  }

  /** Number of spikes in the window. */
  get size(): number {
    let n = 0;
    for (let d = 0; d < this.filled; d++) n += this.counts[(this.head - d + this.depth) % this.depth];
    return n;
  }

  /** Empties the buffer (no spikes in flight). */
  clear(): void {
    this.counts.fill(0);
    this.filled = 0;
    this.head = this.depth - 1;
  }
}
