// "Export CSV" for any table: builds the file on click and hands it to the browser as a download.

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function CsvButton({ filename, csv, disabled }: { filename: string; csv: () => string; disabled?: boolean }) {
  return (
    <button type="button" className="btn small" disabled={disabled} onClick={() => downloadText(filename, csv())}>
      Export CSV
    </button>
  );
}
