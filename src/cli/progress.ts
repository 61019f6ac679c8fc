/** A one-line progress bar on a terminal; plain periodic lines elsewhere (CI logs, pipes). */
export const createProgress = (label: string, stream: NodeJS.WriteStream = process.stderr) => {
  let lastPlain = -1;
  return {
    update(done: number, total: number): void {
      const ratio = total === 0 ? 1 : done / total;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(ratio * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
        return;
      }
      const decile = Math.floor(ratio * 10);
      if (decile !== lastPlain) {
        lastPlain = decile;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    finish(): void {
      if (stream.isTTY) {
        stream.write('\n');
      }
    },
  };
};
