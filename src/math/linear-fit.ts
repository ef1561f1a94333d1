/** Least-squares line y = intercept + slope·x and its coefficient of determination R². */
export interface LinearFit {
  n: number;
  intercept: number;
  slope: number;
  r2: number;
}

/** Ordinary least-squares fit of y on x; null with fewer than 2 points or when all x are equal. */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit | null {
  const n = Math.min(x.length, y.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  // centred sums: stable when x or y sit far from 0
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  // a flat y is fitted exactly by the flat line
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { n, intercept: my - slope * mx, slope, r2 };
}
