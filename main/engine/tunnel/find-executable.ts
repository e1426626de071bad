import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ExecutableSearch {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Searched after PATH, for programs installed where a GUI app's PATH does not look. */
  extraDirs?: readonly string[];
}

/** A regular file we may run (on Windows: one that exists). */
export function isExecutableFile(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    // Windows has no execute bit; a matching extension is what makes a file runnable there.
    accessSync(path, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pathDirs(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  // Windows keeps the variable as "Path"; environment names are case-insensitive there.
  const key = platform === 'win32' ? (Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH') : 'PATH';
  const separator = platform === 'win32' ? ';' : delimiter;
  return (env[key] ?? '')
    .split(separator)
    .map((dir) => dir.replace(/^"(.*)"$/, '$1'))
    .filter((dir) => dir.length > 0);
}

/** Finds the program `name` on PATH (as `name.exe` on Windows), then in `extraDirs`; null when absent. */
export function findExecutable(name: string, search: ExecutableSearch = {}): string | null {
  const env = search.env ?? process.env;
  const platform = search.platform ?? process.platform;
  // Only real executables: we spawn without a shell, and Node refuses to spawn .cmd/.bat files that way.
  const extensions = platform === 'win32' ? ['.exe'] : [''];
  for (const dir of [...pathDirs(env, platform), ...(search.extraDirs ?? [])]) {
    for (const extension of extensions) {
      const candidate = join(dir, name + extension);
      if (isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return null;
}
