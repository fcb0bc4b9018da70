// 标准指南“认证流程与费用”页的费用计算器：按员工人数和服务网点数，算出初次评审、每次监督评审和复评的人日和费用。
// 收费标准来自 javascripts/tariff-data.js（由 content/standard/tariffs.yaml 生成）；算法与 generator/assess/fees.py 相同
// （网点按 ⌈系数 × √网点数⌉ 抽样，精确计算），企业的认证申请书用的也是它。tests/test_fees_calculator.py 在 Chromium 中
// 用上千组人数和网点数与 Python 逐一比较。
(function () {
  "use strict";
  const { Q, parse, add, mul, cmp, ZERO, text, yuan, asWritten, whole, el } = window.AftersalesExact;

  function isqrt(n) {  // the largest r with r² ≤ n (n ≥ 0), BigInt
    if (n < 2n) return n;
    let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n;
    while (x * x > n) x = (x + n / x) / 2n;
    while ((x + 1n) * (x + 1n) <= n) x += 1n;
    return x;
  }
  function ceilSqrt(q) {  // the smallest whole m ≥ 0 with m² ≥ q (fees.py ceil_sqrt)
    const whole = q.n / q.d + ((q.n % q.d) > 0n ? 1n : 0n);
    const root = isqrt(whole);
    return root * root === whole ? root : root + 1n;
  }
  const opt = (value) => (value === null || value === undefined ? null : parse(value));

  function compute(employees, outlets, tariff) {
    tariff = tariff || window.AFTERSALES_TARIFF;
    const rows = tariff.rows;
    const bands = rows.map((row, i) => ({ low: i ? rows[i - 1].max + 1 : 1, high: row.max, row }));
    const band = bands.find((b) => employees <= b.high) || null;
    const rate = parse(tariff.fees.day_rate);
    return tariff.stages.map((stage) => {
      const days = band ? opt(band.row[stage.key]) : null;
      let floor = null;
      if (days === null) {
        for (const row of rows) {
          if (row.max < employees && row[stage.key] !== null && (floor === null || cmp(parse(row[stage.key]), floor) > 0)) floor = parse(row[stage.key]);
        }
      }
      const factor = parse(tariff.multi_site.factors[stage.key]), each = parse(tariff.multi_site.days_per_outlet);
      const size = outlets ? Math.min(outlets, Number(ceilSqrt(mul(mul(factor, factor), Q(outlets))))) : 0;
      const sampleDays = mul(Q(size), each);
      const fixed = stage.charges.reduce((s, c) => add(s, parse(tariff.fees[c.key])), ZERO);
      const amount = days === null ? null : add(fixed, mul(days, rate));
      const bound = floor === null ? null : add(fixed, mul(floor, rate));
      const outletsAmount = mul(sampleDays, rate);
      return {
        stage: stage.key, name: stage.name, days, floor, amount, bound, size, sampleDays, outletsAmount, fixed, charges: stage.charges,
        totalDays: days === null ? null : add(days, sampleDays), totalAmount: amount === null ? null : add(amount, outletsAmount),
        boundTotal: floor === null ? null : add(fixed, mul(add(floor, sampleDays), rate)),
      };
    });
  }

  // What a test compares with the Python engine: exact values as text.
  function exact(employees, outlets, tariff) {
    const t = (q) => (q === null ? null : text(q));
    return compute(employees, outlets, tariff).map((s) => ({
      stage: s.stage, days: t(s.days), floor: t(s.floor), amount: t(s.amount), size: s.size, sample_days: t(s.sampleDays),
      total_days: t(s.totalDays), total_amount: t(s.totalAmount) }));
  }

  function render(tariff, form, out) {
    out.replaceChildren();
    const wrong = [];
    const employees = whole(form.querySelector("[data-employees]").value, 1, 10000000, "员工人数", wrong, true);
    const outlets = whole(form.querySelector("[data-outlets]").value, 0, 100000, "服务网点数", wrong) || 0;
    if (wrong.length) { out.appendChild(el("ul", { class: "selfcheck-problem" }, wrong.map((w) => el("li", { text: w })))); return; }
    const body = compute(employees, outlets, tariff).map((s) => {
      const daysText = s.days === null ? `待核定${s.floor === null ? "" : `（不少于 ${asWritten(add(s.floor, s.sampleDays))}）`}`
        : asWritten(s.totalDays);
      const amountText = s.amount === null ? `待报价${s.boundTotal === null ? "" : `（不少于 ${yuan(s.boundTotal)} 元）`}`
        : `${yuan(s.totalAmount)} 元`;
      const parts = [s.days === null ? "员工人数档的人日表中没有，由认证机构核定" : `员工人数档 ${asWritten(s.days)} 人日`];
      if (outlets) parts.push(`抽查 ${s.size} 个网点 × ${asWritten(parse(tariff.multi_site.days_per_outlet))} 人日 = ${asWritten(s.sampleDays)} 人日（估算）`);
      parts.push(s.charges.map((c) => `${c.name} ${yuan(parse(tariff.fees[c.key]))} 元`).join("、"));
      return el("tr", { "data-stage": s.stage }, [el("td", { text: s.name }), el("td", { text: daysText }),
        el("td", { text: amountText }), el("td", { text: parts.join("；") })]);
    });
    out.appendChild(el("table", {}, [el("thead", {}, [el("tr", {}, ["阶段", "人日", "费用", "构成"].map((h) => el("th", { text: h })))]),
      el("tbody", {}, body)]));
    const band = tariff.rows.find((row) => employees <= row.max);
    if (band && band.uncertain) out.appendChild(el("p", { text: "这一档的人日在收费标准的公开文本中字迹不清，是推定的，报价以认证机构为准。" }));
    out.appendChild(el("p", { text: `评审费每人日 ${yuan(parse(tariff.fees.day_rate))} 元；不含评审员差旅费。${tariff.cited}，${tariff.retrieved}查阅。` }));
  }

  window.AftersalesFees = { exact };
  const root = document.getElementById("fees-calculator");
  const tariff = window.AFTERSALES_TARIFF;
  if (!root || !tariff) return;
  const form = el("form", { class: "selfcheck-form" }, [
    el("label", {}, [document.createTextNode("员工人数"), el("input", { type: "text", inputmode: "numeric", value: "100", "data-employees": "" })]),
    el("label", {}, [document.createTextNode("服务网点数（固定网点，含委托）"), el("input", { type: "text", inputmode: "numeric", value: "0", "data-outlets": "" })])]);
  const out = el("div", { class: "fees-result", "aria-live": "polite" });
  root.replaceChildren(form, out);
  form.addEventListener("input", () => render(tariff, form, out));
  render(tariff, form, out);
})();
