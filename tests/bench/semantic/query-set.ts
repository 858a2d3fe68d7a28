import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { REPO_ROOT } from '../../helpers/paths.ts';

const QuerySetSchema = v.object({
  about: v.string(),
  trees: v.record(v.string(), v.string()),
  queries: v.pipe(
    v.array(
      v.object({
        tree: v.string(),
        query: v.pipe(v.string(), v.minLength(1)),
        expect: v.pipe(v.array(v.pipe(v.string(), v.regex(/^[^:]+:[^:]+$/, 'an expected definition is path:qualified_name'))), v.minLength(1)),
      }),
    ),
    v.minLength(1),
  ),
});

export type LabelledQuery = v.InferOutput<typeof QuerySetSchema>['queries'][number];

export const QUERY_SET_FILE = join(REPO_ROOT, 'test_data/semantic/queries.json');

/** The labelled questions, validated; an unknown tree name is an error, not a skipped query. */
export function loadQuerySet(file = QUERY_SET_FILE): LabelledQuery[] {
  const set = v.parse(QuerySetSchema, JSON.parse(readFileSync(file, 'utf8')));
  for (const query of set.queries) {
    if (!(query.tree in set.trees)) throw new Error(`${file}: query "${query.query}" names the unknown tree ${query.tree}`);
  }
  return set.queries;
}
