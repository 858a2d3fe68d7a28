// Build output: ignored through .gitignore, so never indexed.
export function bundled() {
  return 1;
}
