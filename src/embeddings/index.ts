export { EMBEDDING_PROVIDER_KINDS, type EmbeddingProvider, type EmbeddingProviderKind, type SymbolSource } from './types.ts';
export { subwords } from './subwords.ts';
export { BODY_LINES, bodyLines, SYMBOL_TEXT_FIELDS, symbolText } from './symbol-text.ts';
export { isPrivateName, isTestPath, PRIVATE_PRIOR, rankingPrior, TEST_PRIOR } from './code-conventions.ts';
export { hybridRanking, type HybridLists, type HybridOptions, type Scored, VECTOR_WEIGHT } from './hybrid-ranking.ts';
export { BUILTIN_DEFAULTS, type BuiltinModel, type CorpusFile, fitBuiltinModel, fittingDocuments, loadBuiltinModel } from './builtin/builtin-model.ts';
export { builtinProvider, type BuiltinProvider, type VocabularyCoverage } from './builtin/builtin-provider.ts';
export { type ModelDrift, REFIT_RULE, refitReason } from './builtin/refit-policy.ts';
export type { LsiParameters } from './builtin/lsi-model.ts';
