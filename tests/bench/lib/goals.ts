import type { Ratio, Summary } from './summary.ts';

/** What goals() reads of the report's rows (only the figures it needs). */
interface Rows {
  point_select: { rpc_sequential: Summary };
  ping: { rpc_ping: Summary };
  insert_many: { rpc_insert_many: { vs_baseline: Ratio } };
  concurrent_point_select: { vs_baseline: Ratio };
  long_statement: { ping_during: Summary };
  postgres:
    | { driver_process: PostgresMode; in_process: PostgresMode }
    | { skipped: string };
}

type PostgresMode = { point_select: { vs_baseline: Ratio }; autocommit_insert: { vs_baseline: Ratio } };

const goal = (value: number, wanted: string, met: boolean) => ({ value: Number(value.toFixed(3)), goal: wanted, met });

/** Issue 13's goals, each with this run's figure (all ratios measured in the same run). */
export function goals(rows: Rows) {
  const out: Record<string, ReturnType<typeof goal> | string> = {
    point_select_p50_vs_ping_p50: goal(rows.point_select.rpc_sequential.p50_us / rows.ping.rpc_ping.p50_us, '≤ 1.5', rows.point_select.rpc_sequential.p50_us <= 1.5 * rows.ping.rpc_ping.p50_us),
    insert_many_vs_in_process_transaction: goal(rows.insert_many.rpc_insert_many.vs_baseline.throughput_ratio, '≥ 0.5', rows.insert_many.rpc_insert_many.vs_baseline.throughput_ratio >= 0.5),
    ping_p99_ms_during_long_statement: goal(rows.long_statement.ping_during.p99_us / 1000, '≤ 10', rows.long_statement.ping_during.p99_us <= 10_000),
    concurrent_point_selects_vs_in_process: goal(rows.concurrent_point_select.vs_baseline.throughput_ratio, '≥ 0.35', rows.concurrent_point_select.vs_baseline.throughput_ratio >= 0.35),
  };
  if ('skipped' in rows.postgres) return { ...out, postgres: rows.postgres.skipped };
  for (const [mode, wanted] of [
    ['in_process', 0.8],
    ['driver_process', 0.5],
  ] as const) {
    for (const series of ['point_select', 'autocommit_insert'] as const) {
      const value = rows.postgres[mode][series].vs_baseline.throughput_ratio;
      out[`postgres_${mode}_${series}_vs_postgres_js`] = goal(value, `≥ ${wanted}`, value >= wanted);
    }
  }
  return out;
}
