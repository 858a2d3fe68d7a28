/** Progress goes to stderr: stdout carries nothing but the final JSON report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
