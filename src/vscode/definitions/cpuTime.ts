// CPU time of this process in ms: the definition features count their own work with it (the benchmark
// reads the totals). Unlike wall time it does not grow while other processes hold the cores.
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
