import ignore, { type Ignore } from 'ignore';
import { join, relative, sep } from 'node:path';
import type { FileInfo, FileSystem } from '../runtime/types.ts';
import type { Language } from './types.ts';

export interface SourceFile {
  /** Relative to the project root, with '/' separators. */
  path: string;
  absolute: string;
  language: Language;
  size: number;
  mtimeMs: number;
}

export interface WalkOptions {
  languageOf(path: string): Language | null;
  /** Larger files are reported as skipped rather than parsed (generated bundles, data). */
  maxFileBytes: number;
  /** Told of each file or folder left out for a reason the user should know: too large, unreadable, a name that is not UTF-8. */
  onSkipped?: (path: string, reason: string) => void;
  /** Absolute directories never walked (the server's own data dir inside a watched tree). */
  excludeDirs?: string[];
}

/** What the runtimes put in a file name for bytes that are not UTF-8. */
const UNDECODABLE = '\uFFFD';

/** Entries of a folder whose facts are asked for at once. */
const STATS_AT_ONCE = 64;

/** Directories never worth indexing, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

interface Rules {
  /** The directory the .gitignore sits in, relative to the root ('' for the root). */
  base: string;
  matcher: Ignore;
}

async function readRules(fs: FileSystem, root: string, dir: string): Promise<Rules | null> {
  const file = join(root, dir, '.gitignore');
  if (!(await fs.exists(file))) return null;
  return { base: dir, matcher: ignore().add(await fs.readText(file)) };
}

/** As git does: the deepest .gitignore with a verdict wins, so a subfolder's `!rule` re-includes. */
function ignored(rules: Rules[], path: string, isDirectory: boolean): boolean {
  for (let index = rules.length - 1; index >= 0; index--) {
    const { base, matcher } = rules[index]!;
    const local = base ? path.slice(base.length + 1) : path;
    const verdict = matcher.test(isDirectory ? `${local}/` : local);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/**
 * Every source file of a project the indexer should look at: walks the tree, honours each
 * directory's .gitignore the way git does, skips VCS and dependency folders, and yields
 * files of known languages in a stable (sorted) order.
 */
export async function* walkSources(fs: FileSystem, root: string, options: WalkOptions): AsyncGenerator<SourceFile> {
  const pending: Array<{ dir: string; rules: Rules[] }> = [{ dir: '', rules: [] }];
  while (pending.length > 0) {
    const { dir, rules: inherited } = pending.pop()!;
    const own = await readRules(fs, root, dir);
    const rules = own ? [...inherited, own] : inherited;
    let names: string[];
    try {
      names = (await fs.readDir(join(root, dir))).sort();
    } catch (error) {
      // An unreadable folder is reported, and the rest of the project still indexed.
      if (dir === '') throw error;
      options.onSkipped?.(dir, `cannot be read: ${(error as Error).message}`);
      continue;
    }
    const subdirectories: string[] = [];
    const paths = names.map((name) => (dir ? `${dir}/${name}` : name));
    let infos: Array<FileInfo | null> = [];
    for (const [index, name] of names.entries()) {
      // A folder's entries are asked about STATS_AT_ONCE at a time, not one after the other: each answer is a round trip to the runtime's I/O threads.
      if (index % STATS_AT_ONCE === 0) infos = await Promise.all(paths.slice(index, index + STATS_AT_ONCE).map((path) => fs.stat(join(root, path)).catch(() => null)));
      const path = paths[index]!;
      const absolute = join(root, path);
      const info = infos[index % STATS_AT_ONCE];
      if (!info) {
        // The runtimes decode a name that is not UTF-8 with U+FFFD in place of its bad
        // bytes: that name leads nowhere, so it is reported rather than lost in silence.
        if (name.includes(UNDECODABLE)) options.onSkipped?.(path, 'the file name is not valid UTF-8');
        continue;
      }
      if (info.isDirectory) {
        if (!ALWAYS_SKIPPED.has(name) && !options.excludeDirs?.includes(absolute) && !ignored(rules, path, true)) subdirectories.push(path);
        continue;
      }
      if (!info.isFile || ignored(rules, path, false)) continue;
      const language = options.languageOf(name);
      if (language === null) continue;
      if (info.size > options.maxFileBytes) {
        options.onSkipped?.(path, `larger than ${options.maxFileBytes} bytes`);
        continue;
      }
      yield { path, absolute, language, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
    }
    // Depth first, in name order.
    for (const sub of subdirectories.reverse()) pending.push({ dir: sub, rules });
  }
}

/**
 * The one file at `path` (relative to the root) when the walk would yield it — a source
 * file of a known language, within the size limit, in no skipped, excluded or linked
 * folder and ignored by no .gitignore on its way — else null. For reindexing single
 * changed files without a walk.
 */
export async function sourceFileAt(fs: FileSystem, root: string, path: string, options: WalkOptions): Promise<SourceFile | null> {
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  const language = options.languageOf(name);
  if (language === null || parts.some((part) => part === '' || part === '.' || part === '..')) return null;
  const rules: Rules[] = [];
  for (let depth = 0; depth < parts.length; depth++) {
    const dir = parts.slice(0, depth).join('/');
    if (depth > 0 && (ALWAYS_SKIPPED.has(parts[depth - 1]!) || options.excludeDirs?.includes(join(root, dir)) || ignored(rules, dir, true))) return null;
    // The walk enters no link: a folder on the way that is (now) a link leads somewhere else.
    if (depth > 0 && !(await fs.stat(join(root, dir)).catch(() => null))?.isDirectory) return null;
    const own = await readRules(fs, root, dir);
    if (own) rules.push(own);
  }
  const absolute = join(root, path);
  const info = await fs.stat(absolute).catch(() => null);
  if (!info?.isFile || ignored(rules, path, false)) return null;
  if (info.size > options.maxFileBytes) {
    options.onSkipped?.(path, `larger than ${options.maxFileBytes} bytes`);
    return null;
  }
  return { path, absolute, language, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
}

/** A path relative to the root with '/' separators, as stored. */
export function projectPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}
