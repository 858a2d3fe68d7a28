/**
 * When the builtin model must be fitted again. Folding in new texts never changes it, so it
 * drifts from the code as the code changes: past a share of changed files, or when the
 * words being embedded are mostly ones it never learnt, a new fit (and a new model id,
 * hence new vectors for every symbol) is due.
 */
export interface ModelDrift {
  /** Files the model was fitted on (0 when there is no model yet). */
  fittedFiles: number;
  /** Files added, changed or removed since the fit. */
  changedFiles: number;
  /** Texts embedded since the fit, and the share of their word weight the vocabulary knew (BuiltinProvider.coverage()). */
  embeddedTexts: number;
  knownShare: number;
}

export const REFIT_RULE = {
  /** Changed files, as a share of the fitted ones, that call for a refit. */
  changedShare: 0.25,
  /** ... but never for fewer changed files than this (a small project edited a little). */
  minChangedFiles: 20,
  /** A vocabulary that knows less than this share of the words embedded... */
  minKnownShare: 0.6,
  /** ... over at least this many texts, is stale. */
  minTexts: 200,
};

/** Why a refit is due, or null when the model still fits the code. */
export function refitReason(drift: ModelDrift, rule = REFIT_RULE): string | null {
  if (drift.fittedFiles === 0) return 'no model has been fitted yet';
  if (drift.changedFiles >= rule.minChangedFiles && drift.changedFiles >= rule.changedShare * drift.fittedFiles) {
    return `${drift.changedFiles} files changed since the model was fitted on ${drift.fittedFiles}`;
  }
  if (drift.embeddedTexts >= rule.minTexts && drift.knownShare < rule.minKnownShare) {
    return `the model knows ${Math.round(drift.knownShare * 100)}% of the words of the last ${drift.embeddedTexts} texts`;
  }
  return null;
}
