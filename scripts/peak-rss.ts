// The peak memory of a bench's child process, its own.
import { readFileSync } from 'node:fs';

/**
 * This process's peak resident set size in MB: the high-water mark of its own memory (`VmHWM` in /proc/self/status).
 * Not `process.resourceUsage().maxRSS` alone: on Linux a child process starts from its parent's peak (the kernel keeps
 * the larger across fork and exec), so the sync child of a bench process that had grown to 829 MB reported 829 MB,
 * whatever it used itself. Where there is no /proc (macOS), `maxRSS`.
 */
export function peakRssMb(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib !== undefined) return Number(kib) / 1024;
  } catch {
    // No /proc here.
  }
  return process.resourceUsage().maxRSS / 1024;
}
