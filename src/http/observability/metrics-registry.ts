/**
 * A small Prometheus exporter (text exposition format 0.0.4): counters and histograms
 * with labels, and gauges read when scraped. Label values come from closed sets (an
 * API's name, a route pattern, a status class), never from request data; a cap on
 * series per metric guards that rule should a caller break it.
 */

export type Labels = Readonly<Record<string, string>>;

/** Seconds: from a cached read to a slow store write. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

const MAX_SERIES = 2000;

const escapeLabel = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
const escapeHelp = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
const formatNumber = (value: number): string => (Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN');

const labelText = (labels: Labels, extra?: [string, string]): string => {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  if (extra) {
    pairs.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  }
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
};

/** Series are keyed by their label values in the metric's declared label order. */
const seriesKey = (names: readonly string[], labels: Labels): string => names.map((name) => labels[name] ?? '').join('\u0000');

const pick = (names: readonly string[], labels: Labels): Labels => Object.fromEntries(names.map((name) => [name, labels[name] ?? '']));

interface Metric {
  render(): Promise<string> | string;
}

export class Counter implements Metric {
  private readonly series = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[] = [],
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = seriesKey(this.labelNames, labels);
    const entry = this.series.get(key);
    if (entry) {
      entry.value += by;
    } else if (this.series.size < MAX_SERIES) {
      this.series.set(key, { labels: pick(this.labelNames, labels), value: by });
    }
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.series.values()) {
      lines.push(`${this.name}${labelText(labels)} ${formatNumber(value)}`);
    }
    return lines.join('\n');
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = seriesKey(this.labelNames, labels);
    let entry = this.series.get(key);
    if (!entry) {
      if (this.series.size >= MAX_SERIES) {
        return;
      }
      entry = { labels: pick(this.labelNames, labels), counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    // Counts are kept per bucket and made cumulative when rendered.
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) {
      entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    }
    entry.sum += value;
    entry.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, index) => {
        cumulative += counts[index] ?? 0;
        lines.push(`${this.name}_bucket${labelText(labels, ['le', formatNumber(bound)])} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${labelText(labels, ['le', '+Inf'])} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${formatNumber(sum)}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

/** A gauge read at scrape time; a failing reader leaves the gauge out of that scrape. */
class Gauge implements Metric {
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly collect: () => number | Promise<number>,
  ) {}

  async render(): Promise<string> {
    const head = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} gauge`;
    try {
      return `${head}\n${this.name} ${formatNumber(await this.collect())}`;
    } catch {
      return head;
    }
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  private add<M extends Metric>(name: string, metric: M): M {
    if (!NAME.test(name)) {
      throw new Error(`invalid metric name ${name}`);
    }
    if (this.metrics.has(name)) {
      throw new Error(`metric ${name} is registered twice`);
    }
    this.metrics.set(name, metric);
    return metric;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(name, new Counter(name, help, labelNames));
  }

  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[] = LATENCY_BUCKETS): Histogram {
    return this.add(name, new Histogram(name, help, labelNames, buckets));
  }

  /** For modules that know a current value (a queue's length, a lag): read on each scrape. */
  registerGauge(name: string, help: string, collect: () => number | Promise<number>): void {
    this.add(name, new Gauge(name, help, collect));
  }

  async render(): Promise<string> {
    const parts = await Promise.all([...this.metrics.values()].map((metric) => metric.render()));
    return `${parts.join('\n')}\n`;
  }
}
