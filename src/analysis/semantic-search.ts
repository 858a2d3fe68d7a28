import type { CodeDatabase, Project } from '../db/code-database.ts';
import type { SymbolKind } from '../db/code-types.ts';
import { EMBEDDED_KINDS, type VectorCounts } from '../db/code-vectors.ts';
import type { Candidate } from '../db/semantic-candidates.ts';
import { rankingPrior } from '../embeddings/code-conventions.ts';
import { BUILTIN_OVER_TERMS_WEIGHT, hybridScores, type Scored, VECTOR_WEIGHT } from '../embeddings/hybrid-ranking.ts';
import { questionStems } from '../embeddings/full-text-terms.ts';
import { questionTerms } from '../embeddings/question-terms.ts';
import { RpcError } from '../ipc/errors.ts';
import type { EmbeddingSource, ProjectEmbedder } from './embedding-source.ts';

/** Candidates each list brings to the fusion (as in the evaluation, tests/bench/semantic/evaluate.ts). */
export const CANDIDATES = 200;

export interface SemanticOptions {
  kind?: SymbolKind;
  projectId?: number;
  limit: number;
  /**
   * The vectors' weight in the fusion; by default BUILTIN_OVER_TERMS_WEIGHT when the builtin
   * model's vectors meet the vectorizer's terms, VECTOR_WEIGHT otherwise (hybrid-ranking.ts).
   * 0 ranks by full text alone, as the evaluation compares.
   */
  vectorWeight?: number;
}

/** How far one project's vectors are, as a semantic search saw them. */
export type ProjectVectors = VectorCounts & {
  project_id: number;
  root: string;
  provider: string;
  model_id: string | null;
  /** Every definition embedded with the current model (or found empty). */
  ready: boolean;
};

export interface SemanticAnswer {
  symbols: Array<Omit<Candidate, 'id'>>;
  vectors: {
    /** Whether the vectors took part for every project searched. */
    ready: boolean;
    /** Why they did not (fully), and what ranked instead; null when they did. */
    notice: string | null;
    projects: ProjectVectors[];
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One project's vector list for the question, and how far its vectors are (with why there is no list). */
async function projectVectors(code: CodeDatabase, source: EmbeddingSource, project: Project, query: string, kinds: readonly SymbolKind[]) {
  const base = { project_id: project.id, root: project.root, provider: source.kind };
  let embedder: ProjectEmbedder | null;
  try {
    embedder = await source.forProject(code.vectors, project.id);
  } catch (error) {
    const counts = await code.vectors.counts(project.id, null);
    return { status: { ...base, model_id: null, ...counts, ready: false }, list: [], problem: `the ${source.kind} embedding provider is unavailable (${message(error)})` };
  }
  const modelId = embedder?.provider.modelId ?? null;
  const counts = await code.vectors.counts(project.id, modelId);
  const status: ProjectVectors = { ...base, model_id: modelId, ...counts, ready: embedder !== null && counts.pending === 0 };
  if (!embedder) return { status, list: [], problem: counts.symbols === 0 ? null : `${project.root} has no ${source.kind} embedding model yet` };
  const problem = status.ready ? null : `${project.root}: ${counts.embedded + counts.empty} of ${counts.symbols} definitions embedded`;
  if (counts.embedded === 0) return { status, list: [], problem };
  let vector: Float32Array;
  try {
    [vector] = (await embedder.provider.embed([query])) as [Float32Array];
  } catch (error) {
    return { status, list: [], problem: `the ${source.kind} embedding provider failed on the question (${message(error)})` };
  }
  // The model knows no word of the question: the vectors have nothing to say.
  if (vector.every((x) => x === 0)) return { status, list: [], problem };
  const { data } = await code.db.vectorSearch<{ symbol_id: number }>({
    table: 'symbol_vectors',
    column: 'vector',
    vector: Array.from(vector),
    limit: CANDIDATES,
    where: { project_id: project.id, model_id: modelId, kind: { in: [...kinds] } },
    columns: ['symbol_id'],
  });
  const list: Array<Scored<number>> = data.map((row) => ({ id: Number(row.symbol_id), score: 1 - Number(row.distance) }));
  return { status, list, problem };
}

/**
 * Semantic search through the database: the full-text list (any of the question's terms,
 * by BM25) and each project's vector list (the driver's `vector_search` over its vectors of
 * the current model), fused by src/embeddings/hybrid-ranking.ts with exact names first.
 * Where a project's vectors are missing or incomplete the answer says so (`vectors.notice`,
 * with the counts) and ranks by the full text of names and docstrings (symbols_fts), with
 * the vectors that exist: never a silent fallback. Once every project searched is embedded,
 * the full-text list is the vectorizer's richer terms (symbol_terms).
 */
export async function semanticSearch(code: CodeDatabase, source: EmbeddingSource, query: string, options: SemanticOptions): Promise<SemanticAnswer> {
  const kinds = options.kind === undefined ? EMBEDDED_KINDS : [options.kind];
  let projects: Project[];
  if (options.projectId === undefined) projects = await code.projects();
  else {
    const project = await code.project(options.projectId);
    if (!project) throw new RpcError('NOT_FOUND', `project: no project has id ${options.projectId}`, { field: 'project' });
    projects = [project];
  }
  const scope = { kinds, projectId: options.projectId, limit: CANDIDATES };
  const vectorKinds = kinds.filter((kind) => EMBEDDED_KINDS.includes(kind));
  const [exact, perProject] = await Promise.all([
    code.exactNameCandidates(query, scope),
    Promise.all(projects.map((project) => projectVectors(code, source, project, query, vectorKinds))),
  ]);
  const ready = perProject.every((entry) => entry.status.ready || entry.status.symbols === 0);
  // Embedded whole: the vectorizer's terms (every field, stems); otherwise names and docstrings (any word, as a prefix).
  const fullText = ready ? await code.termCandidates(questionStems(query), scope) : await code.fullTextCandidates(questionTerms(query), scope);
  const vectors = perProject.flatMap((entry) => entry.list);
  const known = new Map<number, Candidate>([...fullText, ...exact].map((hit) => [hit.id, hit]));
  for (const [id, hit] of await code.candidatesByIds(vectors.map(({ id }) => id).filter((id) => !known.has(id)))) known.set(id, hit);
  const ranked = hybridScores(
    { exactNames: exact.map((hit) => hit.id), fullText: fullText.map(({ id, score }) => ({ id, score })), vectors: vectors.filter(({ id }) => known.has(id)) },
    {
      limit: options.limit,
      prior: (id) => rankingPrior(known.get(id)!),
      vectorWeight: options.vectorWeight ?? (ready && source.kind === 'builtin' ? BUILTIN_OVER_TERMS_WEIGHT : VECTOR_WEIGHT),
    },
  );
  const problems = perProject.flatMap((entry) => (entry.problem === null ? [] : [entry.problem]));
  const notice =
    problems.length === 0 && ready
      ? null
      : `vectors are not ready (${problems.join('; ') || 'not every project is embedded'}): ` +
        'until the vectorizer has embedded every definition (`code-analysis embed`, or a running server), the ranking is by full text over names and docstrings, with vectors where they exist';
  return {
    symbols: ranked.map(({ id, score }) => {
      const { id: _id, ...hit } = known.get(id)!;
      return { ...hit, score: Number(score.toFixed(4)) };
    }),
    vectors: { ready: notice === null, notice, projects: perProject.map((entry) => entry.status) },
  };
}
