// The eval source of a worker thread that imports one module. Under tsx (running from .ts
// sources) a worker does not inherit the loader hooks of `--import tsx` on Node 20, so the
// worker registers tsx itself before importing a .ts entry.

/** Source for `new Worker(source, { eval: true })` that imports `entry` (a file URL). */
export function threadEntrySource(entry: string): string {
  if (!entry.endsWith('.ts')) return `import(${JSON.stringify(entry)})`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
}
