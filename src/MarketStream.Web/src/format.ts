// Exact display of fixed-point values (docs/protocol.md §2.3): a price is `mantissa / 10^scale`,
// formatted by placing the decimal point in the mantissa's digits. No floating-point step touches a
// price or a size, so what the board shows is exactly what the server sent.

/** `formatFixed(108431n, 5)` → `"1.08431"`; `formatFixed(-5n, 2)` → `"-0.05"`. */
export function formatFixed(mantissa: bigint, scale: number, group = false): string {
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString();
  let whole: string;
  let fraction = "";
  if (scale > 0) {
    const padded = digits.padStart(scale + 1, "0");
    whole = padded.slice(0, padded.length - scale);
    fraction = "." + padded.slice(padded.length - scale);
  } else {
    whole = digits;
  }
  if (group) whole = groupThousands(whole);
  return (negative ? "-" : "") + whole + fraction;
}

/** Like {@link formatFixed} with an explicit `+` for positive values. */
export function formatSigned(mantissa: bigint, scale: number): string {
  return (mantissa > 0n ? "+" : "") + formatFixed(mantissa, scale);
}

/**
 * `delta / base` as a percentage with two decimals, truncated toward zero, computed in integers
 * (hundredths of a percent = delta × 10000 / base).
 */
export function formatPercent(delta: bigint, base: bigint): string {
  if (base === 0n) return "";
  const hundredths = (delta * 10000n) / base;
  return (hundredths > 0n ? "+" : "") + formatFixed(hundredths, 2) + "%";
}

/**
 * Volume for the board: grouped whole units with at most two decimals below a million units
 * (truncated, never rounded up), else 1.23M / 4.56B.
 */
export function formatVolume(mantissa: bigint, scale: number): string {
  const whole = mantissa / 10n ** BigInt(scale);
  if (whole >= 1_000_000_000n) return formatFixed(whole / 10_000_000n, 2) + "B";
  if (whole >= 1_000_000n) return formatFixed(whole / 10_000n, 2) + "M";
  const shown = Math.min(scale, 2);
  return formatFixed(mantissa / 10n ** BigInt(scale - shown), shown, true);
}

function groupThousands(digits: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}

/** A short age: `0.4s`, `12s`, `3m`. */
export function formatAge(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return (ms / 1000).toFixed(1) + "s";
  if (ms < 120_000) return Math.floor(ms / 1000) + "s";
  return Math.floor(ms / 60_000) + "m";
}

/** Milliseconds with sensible precision for latency figures (display only). */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "–";
  if (Math.abs(ms) < 10) return ms.toFixed(2) + " ms";
  if (Math.abs(ms) < 1000) return ms.toFixed(1) + " ms";
  return (ms / 1000).toFixed(2) + " s";
}

export function formatBytes(n: number): string {
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
  return (n / 1024 / 1024).toFixed(1) + " MiB";
}
