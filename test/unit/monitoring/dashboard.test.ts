/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment -- assertions over the generated board's JSON */
import { strict as assert } from 'node:assert';
import { METRICS, PROCESS_METRICS, type MetricSpec } from '../../../src/metrics/catalog.js';
import { dashboards } from '../../../src/monitoring/dashboard.js';
import { GENERATED_MARKER } from '../../../src/monitoring/generate.js';
import { DEFAULT_OPTIONS } from '../../../src/monitoring/options.js';
import { ruleGroups } from '../../../src/monitoring/rules.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ refId?: string; expr: string; datasource?: { uid: string } }>;
  fieldConfig?: {
    defaults?: {
      unit?: string;
      thresholds?: { mode: string; steps: Array<{ value: number | null; color: string }> };
    };
  };
}

const boards = dashboards(DEFAULT_OPTIONS, GENERATED_MARKER);
const board = boards.get('tls-sli.json') as {
  uid: string;
  description: string;
  tags: string[];
  panels: Panel[];
};
const panels = board.panels.filter((p) => p.type !== 'row');

export function exprsOf(b: { panels: Panel[] }): string[] {
  return b.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

describe('the SLI dashboard', () => {
  // what a panel needs to show what its title promises (each once wrong)
  const byTitle = (title: string): Record<string, any> => {
    const panel = panels.find((p) => p.title === title);
    assert.ok(panel, title);
    return panel;
  };

  it('the heat map keeps server names whose every handshake fails (no 1e-9 filter)', () => {
    const heat = byTitle('Success ratio by server name (heat map)');
    assert.ok((heat['options'].filterValues.le as number) < 0);
  });

  it('soonest expiries draw one bar per certificate; the certificate table hides the scrape columns', () => {
    assert.equal(byTitle('Soonest expiries')['options'].reduceOptions.values, true);
    const certs = byTitle('Certificates by days remaining');
    const organize = (certs['transformations'] as Array<Record<string, any>>).find(
      (t) => t['id'] === 'organize',
    );
    for (const column of ['Time', 'job', 'instance'])
      assert.equal(organize?.['options'].excludeByName[column], true, column);
    assert.equal(
      certs['fieldConfig'].defaults.custom?.cellOptions,
      undefined,
      'only the days are coloured',
    );
  });

  it('the error budget is one instant query over the recorded rates; variables list names that only fail', () => {
    const budget = byTitle('Error budget remaining (30 days)')['targets'][0];
    assert.equal(budget.instant, true);
    assert.match(
      budget.expr,
      /sum_over_time\(job_log_direction_server_name:tls_handshake_failures:rate1h/,
    );
    assert.doesNotMatch(budget.expr, /rate\(tls_handshake/);
    const variables = (
      board as unknown as { templating: { list: Array<{ name: string; query: unknown }> } }
    ).templating.list;
    for (const name of ['log', 'server_name']) {
      const v = variables.find((x) => x.name === name);
      assert.match(
        JSON.stringify(v?.query),
        /tls_handshake_success_total\|tls_handshake_failures_total/,
        name,
      );
    }
  });

  it('has the promised uid and the do-not-edit marker', () => {
    assert.equal(board.uid, 'tls-sli');
    assert.ok(board.description.includes(GENERATED_MARKER));
    assert.ok(board.tags.includes('generated'));
  });

  it('every panel has a unique id, a gridPos within 24 columns, a description and a unit', () => {
    const ids = board.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const p of board.panels) {
      assert.ok(
        p.gridPos.x >= 0 && p.gridPos.x + p.gridPos.w <= 24,
        `${p.title} overflows the grid`,
      );
    }
    for (const p of panels) {
      assert.ok(p.description && p.description.length > 10, `${p.title} has no description`);
      assert.ok(p.fieldConfig?.defaults?.unit, `${p.title} has no unit`);
    }
  });

  it('panels in one grid row never overlap', () => {
    for (const a of board.panels) {
      for (const b of board.panels) {
        if (a === b) continue;
        const overlap =
          a.gridPos.x < b.gridPos.x + b.gridPos.w &&
          b.gridPos.x < a.gridPos.x + a.gridPos.w &&
          a.gridPos.y < b.gridPos.y + b.gridPos.h &&
          b.gridPos.y < a.gridPos.y + a.gridPos.h;
        assert.ok(!overlap, `${a.title} overlaps ${b.title}`);
      }
    }
  });

  it('every query has a refId unique in its panel and uses the datasource variable', () => {
    for (const p of panels) {
      const refIds = (p.targets ?? []).map((t) => t.refId);
      assert.ok(refIds.length > 0, `${p.title} has no query`);
      assert.ok(refIds.every((r) => typeof r === 'string' && r !== ''));
      assert.equal(new Set(refIds).size, refIds.length);
      for (const t of p.targets ?? []) assert.equal(t.datasource?.uid, '${datasource}');
    }
  });

  it('rate() uses $__rate_interval or the dashboard range, and the selectors use the variables', () => {
    for (const expr of exprsOf(board)) {
      for (const m of expr.matchAll(/(?:rate|increase)\([^[]*\[([^\]]+)\]\)/g)) {
        assert.ok(
          ['$__rate_interval', '$__range', '30d'].includes(m[1] ?? ''),
          `${expr}: window ${m[1]}`,
        );
      }
      assert.match(expr, /job=~"\$job"/);
    }
  });

  it('every days-remaining panel is coloured exactly: null red, 7 yellow, 30 green', () => {
    const dayPanels = panels.filter((p) => p.fieldConfig?.defaults?.unit === 'd');
    assert.ok(dayPanels.length >= 2);
    for (const p of dayPanels) {
      assert.deepEqual(p.fieldConfig?.defaults?.thresholds, {
        mode: 'absolute',
        steps: [
          { value: null, color: 'red' },
          { value: 7, color: 'yellow' },
          { value: 30, color: 'green' },
        ],
      });
    }
  });

  it('names only catalogue metrics and recorded rules', () => {
    const known = new Set<string>([
      ...Object.values(METRICS).flatMap((m: MetricSpec) =>
        m.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((x) => m.name + x) : [m.name],
      ),
      'up',
      ...Object.values(PROCESS_METRICS),
    ]);
    for (const g of ruleGroups(DEFAULT_OPTIONS))
      for (const r of g.rules) if ('record' in r) known.add(r.record);
    // PromQL words, and every label the catalogue defines (a label is not a metric name)
    const keywords = new Set([
      ...['sum', 'by', 'rate', 'increase', 'topk', 'bottomk', 'min', 'max', 'or'],
      ...[
        'count_over_time',
        'histogram_quantile',
        'label_replace',
        'on',
        'group_left',
        'ignoring',
        'le',
        'sum_over_time',
        'time',
        'label_values',
        'job',
        'instance',
        '__name__',
      ],
      ...['d', 'm', 'inf'],
      ...Object.values(METRICS).flatMap((m) => m.labelNames),
    ]);
    for (const expr of exprsOf(board)) {
      const stripped = expr.replace(/"[^"]*"/g, '""').replace(/\$\w+/g, '');
      for (const word of stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []) {
        if (keywords.has(word)) continue;
        assert.ok(
          known.has(word),
          `${word} in ${expr} is neither a catalogue metric nor a recorded rule`,
        );
      }
      for (const m of expr.matchAll(/__name__=~"([^"]+)"/g)) {
        for (const name of (m[1] ?? '').split('|')) assert.ok(known.has(name), name);
      }
    }
  });

  it('the grafana.com export uses an input instead of the variable', () => {
    const com = boards.get('tls-sli.grafana-com.json') as {
      __inputs: Array<{ name: string }>;
      templating: { list: Array<{ name: string }> };
    };
    const text = JSON.stringify(com);
    assert.equal(com.__inputs[0]?.name, 'DS_PROMETHEUS');
    assert.ok(!text.includes('${datasource}'));
    assert.ok(text.includes('${DS_PROMETHEUS}'));
    assert.ok(!com.templating.list.some((v) => v.name === 'datasource'));
  });
});

describe('the runbook', () => {
  it('has a section for every alert, which the runbook_url links to', async () => {
    const { readFile } = await import('node:fs/promises');
    const runbook = await readFile(new URL('../../../docs/runbook.md', import.meta.url), 'utf8');
    const headings = new Set([...runbook.matchAll(/^## (\w+)$/gm)].map((m) => m[1]));
    for (const group of ruleGroups(DEFAULT_OPTIONS)) {
      for (const rule of group.rules) {
        if (!('alert' in rule)) continue;
        assert.ok(headings.has(rule.alert), `docs/runbook.md has no section ${rule.alert}`);
        assert.ok(rule.annotations.runbook_url.endsWith(`#${rule.alert.toLowerCase()}`));
      }
    }
  });
});
