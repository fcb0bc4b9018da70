// 标准指南的即时自评（selfcheck.js）和费用计算器（fees.js）共用的部分：精确分数（BigInt）和显示用的取整，
// 与 generator/assess/numbers.py 和 generator/standard/wording.py 的做法相同；读者输入的整数；生成页面元素。
(function () {
  "use strict";
  function gcd(a, b) { a = a < 0n ? -a : a; b = b < 0n ? -b : b; while (b) { [a, b] = [b, a % b]; } return a; }
  function Q(n, d) {
    n = BigInt(n); d = d === undefined ? 1n : BigInt(d);
    if (d < 0n) { n = -n; d = -d; }
    const g = gcd(n, d) || 1n;
    return { n: n / g, d: d / g };
  }
  function parse(text) { const [n, d] = String(text).split("/"); return Q(n, d === undefined ? 1 : d); }
  const add = (a, b) => Q(a.n * b.d + b.n * a.d, a.d * b.d);
  const sub = (a, b) => Q(a.n * b.d - b.n * a.d, a.d * b.d);
  const mul = (a, b) => Q(a.n * b.n, a.d * b.d);
  const div = (a, b) => Q(a.n * b.d, a.d * b.n);
  const cmp = (a, b) => { const x = a.n * b.d, y = b.n * a.d; return x < y ? -1 : x > y ? 1 : 0; };
  const min = (a, b) => (cmp(a, b) <= 0 ? a : b);
  const max = (a, b) => (cmp(a, b) >= 0 ? a : b);
  const ZERO = Q(0), ONE = Q(1);
  function floorDiv(n, d) { const q = n / d; return (n % d !== 0n && (n < 0n) !== (d < 0n)) ? q - 1n : q; }
  function ceilDiv(n, d) { return -floorDiv(-n, d); }
  const text = (q) => (q.d === 1n ? String(q.n) : q.n + "/" + q.d);

  // shown(): to 0.01, half up, but never across a threshold the exact value misses (numbers.py)
  function shown(value, thresholds) {
    let hundredths = floorDiv(value.n * 200n + value.d, 2n * value.d);  // floor(v*100 + 1/2)
    const rounded = Q(hundredths, 100);
    if ((thresholds || []).some((t) => cmp(value, t) < 0 && cmp(t, rounded) <= 0)) {
      hundredths = floorDiv(value.n * 100n, value.d);
    }
    return hundredths;  // in hundredths
  }
  function hundredthsText(h) {
    const sign = h < 0n ? "-" : "", a = h < 0n ? -h : h;
    const whole = a / 100n, part = a % 100n;
    return sign + whole + (part ? "." + String(part).padStart(2, "0").replace(/0$/, "") : "");
  }
  const upToHundredth = (q) => ceilDiv(q.n * 100n, q.d);  // in hundredths
  function roundHalfEven(q) {  // Python's round() of a Fraction
    const floor = floorDiv(q.n, q.d), rest = sub(q, Q(floor));
    const c = cmp(rest, Q(1, 2));
    if (c < 0) return floor;
    if (c > 0) return floor + 1n;
    return floor % 2n === 0n ? floor : floor + 1n;
  }


  // Money to the yuan with thousands separators, halves rounded up (wording.py yuan): 53,000
  function yuan(q) { return floorDiv(q.n * 2n + q.d, 2n * q.d).toLocaleString("en-US"); }
  // Person-days as written (wording.py as_written): 16, 16.5, 0.25
  function asWritten(q) {
    if (q.d === 1n) return String(q.n);
    let digits = 0, scaled = q;
    while (scaled.d !== 1n && digits < 4) { digits += 1; scaled = mul(q, Q(10n ** BigInt(digits))); }
    return (Number(q.n) / Number(q.d)).toFixed(digits).replace(/0+$/, "").replace(/\.$/, "");
  }

  // A whole number typed in a box, in [low, high]: "" is none (or, `required`, told); anything else that is
  // not such a number is told in `wrong` (1e3 and 2.5 are not read as 1 and 2). null where there is none.
  function whole(text, low, high, what, wrong, required) {
    const value = String(text).trim();
    if (value === "" && !required) return null;
    const number = Number(value);
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(number) || number < low || number > high) {
      wrong.push(`${what}应为 ${low.toLocaleString("en-US")}–${high.toLocaleString("en-US")} 的整数（现为“${value}”）`);
      return null;
    }
    return number;
  }

  // An element with attributes (`text` is its text, never markup) and children.
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  window.AftersalesExact = { whole, el, Q, parse, add, sub, mul, div, cmp, min, max, ZERO, ONE, floorDiv, ceilDiv, text, shown,
    hundredthsText, upToHundredth, roundHalfEven, yuan, asWritten };
})();
