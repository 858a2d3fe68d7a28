import type { TableInfo } from '../catalog.ts';
import type { Dialect } from './dialect.ts';
import { type InsertPlan, planInsert } from './statements.ts';

const PLANS_PER_TABLE = 64;

/**
 * INSERT statements by table and column list, built once and bound per row: rows with the
 * same columns (every row of an insert_many, usually) share one. Keyed by the catalog's
 * TableInfo, so a schema change (a new TableInfo) leaves the old plans to the collector.
 */
export class InsertPlans {
  private readonly byTable = new WeakMap<TableInfo, Map<string, InsertPlan>>();

  constructor(private readonly dialect: Dialect) {}

  plan(table: TableInfo, columns: string[], field: string): InsertPlan {
    let plans = this.byTable.get(table);
    if (!plans) this.byTable.set(table, (plans = new Map()));
    const signature = columns.join(',');
    let plan = plans.get(signature);
    if (!plan) {
      plan = planInsert(table, columns, this.dialect, field);
      // Bounded: any column subset is a new list, and clients choose them.
      if (plans.size >= PLANS_PER_TABLE) plans.delete(plans.keys().next().value!);
      plans.set(signature, plan);
    }
    return plan;
  }
}
