// Modules that run in other threads: their URL, and the eval source of a worker thread that
// imports one. Under tsx (running from .ts
// sources) a worker does not inherit the loader hooks of `--import tsx` on Node 20, so the
// worker registers tsx itself before importing a .ts entry.

/** Source for `new Worker(source, { eval: true })` that imports `entry` (a file URL). */
export function threadEntrySource(entry: string): string {
  if (!entry.endsWith('.ts')) return `import(${JSON.stringify(entry)})`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
}

/**
 * The URL of the module at `path` (without extension) relative to `base` (an import.meta.url),
 * with base's extension: .ts when running from sources under tsx, .js when built.
 */
export function siblingModuleUrl(path: string, base: string): string {
  return new URL(`${path}${base.endsWith('.ts') ? '.ts' : '.js'}`, base).href;
}
