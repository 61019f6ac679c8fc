import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsRegistry } from './metrics-registry.js';

describe('MetricsRegistry (text exposition format 0.0.4)', () => {
  it('escapes label values and help text, so a value cannot break out of its quotes', async () => {
    const registry = new MetricsRegistry();
    registry.counter('odd_total', 'help with \\ and\nnewline', ['route']).inc({ route: 'a"b\\c\nd' });
    const text = await registry.render();
    assert.ok(text.includes('# HELP odd_total help with \\\\ and\\nnewline'));
    assert.ok(text.includes('odd_total{route="a\\"b\\\\c\\nd"} 1'));
    assert.equal(text.split('\n').filter((line) => line.startsWith('odd_total')).length, 1);
  });

  it('renders cumulative buckets, +Inf, sum and count', async () => {
    const registry = new MetricsRegistry();
    const histogram = registry.histogram('size', 'sizes', ['kind'], [1, 10]);
    for (const value of [0.5, 5, 5, 50]) {
      histogram.observe({ kind: 'x' }, value);
    }
    const lines = (await registry.render()).split('\n');
    assert.deepEqual(lines.filter((line) => line.startsWith('size')), [
      'size_bucket{kind="x",le="1"} 1',
      'size_bucket{kind="x",le="10"} 3',
      'size_bucket{kind="x",le="+Inf"} 4',
      'size_sum{kind="x"} 60.5',
      'size_count{kind="x"} 4',
    ]);
  });

  it('reads gauges at scrape time, leaves out one whose reader fails, and refuses a name twice', async () => {
    const registry = new MetricsRegistry();
    let value = 1;
    registry.registerGauge('live_value', 'a value', () => value);
    registry.registerGauge('broken_value', 'a failing reader', () => Promise.reject(new Error('down')));
    value = 7;
    const text = await registry.render();
    assert.ok(text.includes('live_value 7'));
    assert.ok(text.includes('# TYPE broken_value gauge'));
    assert.ok(!/^broken_value /m.test(text));
    assert.throws(() => registry.registerGauge('live_value', 'again', () => 0), /registered twice/);
    assert.throws(() => registry.counter('bad-name', 'x'), /invalid metric name/);
  });

  it('keeps at most 2000 series per metric, whatever labels a caller makes up', async () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('many_total', 'many', ['id']);
    for (let index = 0; index < 2500; index += 1) {
      counter.inc({ id: String(index) });
    }
    const samples = (await registry.render()).split('\n').filter((line) => line.startsWith('many_total{'));
    assert.equal(samples.length, 2000);
  });
});
