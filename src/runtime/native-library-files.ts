/** How the native libraries' files are named, alike on Node and Deno (no runtime module needed). */
import type { NativeLibrary } from './types.ts';

/** The file name of a native library, beside the bundle and in the executable. */
export function nativeLibraryFile(name: NativeLibrary, platform: string): string {
  const suffix = platform === 'darwin' ? '.dylib' : platform === 'windows' || platform === 'win32' ? '.dll' : '.so';
  return `${name === 'sqlite-vec' ? 'vec0' : name}${suffix}`;
}

/** sqlite-vec's npm package for this platform (what its own getLoadablePath looks in). */
export function sqliteVecPackage(platform: string, arch: string): string {
  const os = platform === 'win32' ? 'windows' : platform;
  return `sqlite-vec-${os}-${arch === 'x86_64' ? 'x64' : arch === 'aarch64' ? 'arm64' : arch}`;
}

