// 标准指南的即时自评：读者逐条回答，页面按 GB/T 27922-2011 的评分方法算出得分、等级和到下一等级最省力的整改路径。
// 规则和分值来自 javascripts/selfcheck-data.js（由 content/standard/ 生成）；算法与 generator/assess/score.py、
// gaps.py 相同，全部用精确分数计算（BigInt），只在显示时取到 0.01。不联网，不向任何服务器发送数据。
// tests/test_selfcheck.py 在 Chromium 中用上千组生成的回答与 Python 引擎逐一比较。
(function () {
  "use strict";

  const { Q, parse, add, sub, mul, div, cmp, min, max, ZERO, ONE, ceilDiv, text, shown, hundredthsText,
    upToHundredth, roundHalfEven, whole, el } = window.AftersalesExact;

  // ---- the score (assess/score.py, assess/credit.py) --------------------------------------
  function levelFor(rules, score, deductions) {
    if (deductions >= rules.deduction.fail_at) return rules.fail_name;
    for (const level of rules.levels) { if (cmp(score, parse(level.min)) >= 0) return level.name; }
    return rules.fail_name;
  }

  function assess(rules, answers) {
    const total = parse(rules.total), thresholds = rules.levels.map((l) => parse(l.min));
    const lines = rules.clauses.map((clause) => {
      const a = answers.clauses[clause.id] || { status: "missing" };
      const points = parse(clause.points);
      if (a.status === "na") return { clause, points, excluded: true, credit: ZERO };
      let credit;
      if (clause.sampled && a.checked) credit = sub(ONE, Q(a.nonconforming || 0, a.checked));
      else credit = parse(rules.credit[a.status]);
      credit = max(ZERO, min(ONE, credit));
      return { clause, points, excluded: false, credit };
    });
    let applicable = ZERO, earned = ZERO;
    for (const l of lines) {
      if (l.excluded) continue;
      applicable = add(applicable, l.points);
      earned = add(earned, mul(l.points, l.credit));
    }
    const some = applicable.n !== 0n;
    const normalised = some ? mul(div(earned, applicable), total) : ZERO;
    const deductions = answers.deductions || 0, claimed = answers.bonuses || 0;
    const counted = rules.bonus.counted ? Math.min(claimed, rules.bonus.max) : 0;
    const bonus = mul(Q(counted), parse(rules.bonus.points));
    const final = (adjust) => {
      const value = rules.adjust_after_normalisation ? add(normalised, adjust)
        : (some ? mul(div(add(earned, adjust), applicable), total) : ZERO);
      return max(ZERO, min(total, value));
    };
    const penalty = mul(Q(deductions), parse(rules.deduction.points));
    const score = final(sub(bonus, penalty));
    const stars = rules.levels.slice(0, -1).map((l) => l.name);
    const capped = (level) => (rules.year_rule && !answers.year_at_dabiao && stars.includes(level)
      ? rules.levels[rules.levels.length - 1].name : level);
    const level = capped(levelFor(rules, score, deductions));
    const scale = some ? div(total, applicable) : ZERO;
    const adjustScale = rules.adjust_after_normalisation ? ONE : scale;
    const bare = bonus.n !== 0n ? final(Q(0n - penalty.n, penalty.d)) : null;
    const higher = rules.levels.slice().reverse().find((l) => cmp(parse(l.min), score) > 0);
    return {
      lines, applicable, earned, normalised, score, level, deductions, bonus, bare, scale, adjustScale, total, thresholds,
      bareLevel: bare === null ? null : capped(levelFor(rules, bare, deductions)),
      mustFix: Math.max(0, deductions - rules.deduction.fail_at + 1),
      next: higher ? { name: higher.name, min: parse(higher.min), needed: upToHundredth(sub(parse(higher.min), score)) } : null,
    };
  }

  // ---- the least-effort path (assess/gaps.py) ---------------------------------------------
  function actions(rules, a) {
    const out = [];
    for (const l of a.lines) {
      if (l.excluded) continue;
      const lost = sub(l.points, mul(l.points, l.credit));
      if (cmp(lost, ZERO) <= 0) continue;
      const gain = mul(lost, a.scale);
      out.push({ key: l.clause.id, title: l.clause.title, action: l.clause.action, effort: l.clause.effort,
        gain, points: shown(gain), deduction: false });
    }
    for (let i = 1; i <= a.deductions; i++) {
      const gain = mul(parse(rules.deduction.points), a.adjustScale);
      out.push({ key: rules.deduction.key.replace("0", String(i)), title: "", action: "", effort: rules.deduction.effort,
        gain, points: shown(gain), deduction: true });
    }
    return out.sort((x, y) => (x.points !== y.points ? (x.points > y.points ? -1 : 1)
      : x.effort !== y.effort ? x.effort - y.effort : (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)));
  }

  function knapsack(items, target) {
    const gains = items.map((it) => Number(roundHalfEven(mul(it.gain, Q(100)))));
    if (gains.reduce((s, g) => s + g, 0) < target) return null;
    const cost = [[0, 0]], choice = [[]];
    for (let x = 1; x <= target; x++) { cost.push([Infinity, 0]); choice.push([]); }
    const less = (p, q) => p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]);
    items.forEach((item, i) => {
      const gain = gains[i];
      if (gain <= 0) return;
      for (let x = target; x >= 0; x--) {
        if (cost[x][0] === Infinity) continue;
        const y = Math.min(target, x + gain), candidate = [cost[x][0] + item.effort, cost[x][1] + 1];
        if (less(candidate, cost[y])) { cost[y] = candidate; choice[y] = choice[x].concat([i]); }
      }
    });
    return cost[target][0] !== Infinity ? choice[target] : null;
  }

  function leastEffort(items, needed) {
    if (cmp(needed, ZERO) <= 0) return [];
    const sum = items.reduce((s, it) => add(s, it.gain), ZERO);
    if (cmp(sum, needed) < 0) return null;
    let target = Number(ceilDiv(needed.n * 100n, needed.d));
    for (;;) {
      const chosen = knapsack(items, target);
      if (chosen === null) return null;
      if (cmp(chosen.reduce((s, i) => add(s, items[i].gain), ZERO), needed) >= 0) return chosen.map((i) => items[i]);
      target += 1;
    }
  }

  function cheapest(short, mustFix, todo) {
    const deductions = todo.filter((t) => t.deduction), clauses = todo.filter((t) => !t.deduction);
    let best = null;
    for (let k = mustFix; k <= deductions.length; k++) {
      const fixed = deductions.slice(0, k);
      const chosen = leastEffort(clauses, sub(short, fixed.reduce((s, t) => add(s, t.gain), ZERO)));
      if (chosen === null) continue;
      const plan = fixed.concat(chosen);
      const cost = [plan.reduce((s, t) => s + t.effort, 0), plan.length];
      if (best === null || cost[0] < best[0] || (cost[0] === best[0] && cost[1] < best[1])) best = [cost[0], cost[1], plan];
    }
    if (best === null) return null;
    return best[2].slice().sort((x, y) => (x.points !== y.points ? (x.points > y.points ? -1 : 1)
      : (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)));
  }

  function pathTo(rules, a, name) {
    const todo = actions(rules, a);
    const threshold = parse(rules.levels.find((l) => l.name === name).min);
    const short = sub(threshold, a.score);
    if (cmp(short, ZERO) <= 0 && a.mustFix === 0) {
      if (a.bare === null || cmp(a.bare, threshold) >= 0) return { reached: true, reachable: true, actions: [] };
      const plan = cheapest(sub(threshold, a.bare), a.mustFix, todo);
      return { reached: true, reachable: true, bonusOnly: true, actions: plan || [] };
    }
    const plan = cheapest(short, a.mustFix, todo);
    if (plan === null) return { reached: false, reachable: false, actions: [] };
    const gained = plan.reduce((s, t) => add(s, t.gain), ZERO);
    const after = min(a.total, add(a.score, gained));
    const left = a.deductions - plan.filter((t) => t.deduction).length;
    return { reached: false, reachable: true, actions: plan, after, afterLevel: levelFor(rules, after, left),
      effort: plan.reduce((s, t) => s + t.effort, 0) };
  }

  // What a test compares with the Python engine: exact values as text.
  function compute(answers, rules) {
    rules = rules || window.AFTERSALES_SELFCHECK;
    const a = assess(rules, answers);
    const route = a.next ? pathTo(rules, a, a.next.name) : null;
    return {
      score: text(a.score), shown: hundredthsText(shown(a.score, a.thresholds)), level: a.level,
      bare: a.bare === null ? null : text(a.bare), bare_level: a.bareLevel, must_fix: a.mustFix,
      next: a.next ? { name: a.next.name, needed: hundredthsText(a.next.needed) } : null,
      path: route ? { reachable: route.reachable, keys: route.actions.map((t) => t.key) } : null,
    };
  }

  // ---- the page ---------------------------------------------------------------------------
  const STATUSES = [["implemented", "已落实"], ["partial", "部分落实"], ["missing", "未落实"], ["na", "不适用（删减）"]];

  const LIMIT = { samples: 1000000, count: 99 };  // the largest whole numbers the boxes take

  function readAnswers(rules, root) {
    const answers = { clauses: {}, deductions: 0, bonuses: 0 }, wrong = [];
    for (const clause of rules.clauses) {
      const picked = root.querySelector(`input[name="s-${clause.id}"]:checked`);
      const entry = { status: picked ? picked.value : "implemented" };
      if (clause.sampled && entry.status !== "na") {
        const checked = whole(root.querySelector(`[data-checked="${clause.id}"]`).value, 1, LIMIT.samples, `${clause.id} 抽查样本数`, wrong);
        const bad = whole(root.querySelector(`[data-bad="${clause.id}"]`).value, 0, LIMIT.samples, `${clause.id} 不符合样本数`, wrong);
        if (checked !== null) { entry.checked = checked; entry.nonconforming = bad || 0; }
        else if (bad) wrong.push(`${clause.id}：填了不符合样本数，请同时填写抽查样本数`);
      }
      answers.clauses[clause.id] = entry;
    }
    answers.deductions = whole(root.querySelector("[data-deductions]").value, 0, LIMIT.count, "特别扣分项", wrong) || 0;
    answers.bonuses = whole(root.querySelector("[data-bonuses]").value, 0, LIMIT.count, "特别加分项", wrong) || 0;
    const year = root.querySelector("[data-year]");
    answers.year_at_dabiao = year ? year.checked : false;
    return { answers, wrong };
  }

  // The same checks as the profile (readiness.py): samples agree with the status.
  function problems(rules, answers) {
    const out = [];
    for (const clause of rules.clauses) {
      const a = answers.clauses[clause.id];
      if (!a.checked) continue;
      if (a.nonconforming > a.checked) out.push(`${clause.id}：不符合样本数 ${a.nonconforming} 多于抽查样本数 ${a.checked}`);
      else if (a.status === "partial" && a.nonconforming === 0) out.push(`${clause.id}：自评为部分落实，但抽查的 ${a.checked} 个样本均符合；请填写不符合的样本数，或改为已落实`);
      else if (a.status === "missing" && a.nonconforming < a.checked) out.push(`${clause.id}：自评为未落实，但抽查的样本中有符合的；请核对样本数，或改为部分落实`);
    }
    return out;
  }

  // The starter profile (`aftersales init`'s, AFTERSALES_STARTER) with the reader's answers in its
  // readiness section; a clause answered 不适用 is excluded the profile's way (its services not provided).
  const quoted = (value) => JSON.stringify(String(value));  // a YAML double-quoted scalar
  function starterOf(rules, starter, answers) {
    const na = new Set(rules.clauses.filter((c) => answers.clauses[c.id].status === "na").flatMap((c) => c.arrangements));
    const out = ["# 其中 readiness 的自评、特别扣分和加分来自标准指南的“即时自评”；其余是示例企业的数据，请逐项替换为贵企业的情况。\n"];
    for (const [key, body] of starter.blocks) {
      if (key === "readiness") out.push(readinessOf(rules, starter, answers));
      else if (key === "arrangements" && na.size) out.push(arrangementsOf(body, starter, na));
      else out.push(body);
    }
    return out.join("");
  }

  function readinessOf(rules, starter, answers) {
    const lines = ["readiness:"];
    const assessed = rules.clauses.filter((c) => answers.clauses[c.id].status !== "na");
    lines.push("  self_assessment:" + (assessed.length ? "" : " {}"));
    for (const clause of assessed) {
      const a = answers.clauses[clause.id];
      lines.push(`    ${quoted(clause.id)}:`, `      status: ${a.status}`);
      if (a.checked) lines.push("      samples:", `        checked: ${a.checked}`, `        nonconforming: ${a.nonconforming}`);
    }
    lines.push("  special_deductions:" + (answers.deductions ? "" : " []"));
    for (let i = 1; i <= answers.deductions; i++) {
      lines.push("    - kind: 体系运行   # 法律法规 / 企业制度 / 行业要求 / 体系运行", `      finding: ${quoted(`请写明第 ${i} 项的事实`)}`);
    }
    lines.push("  bonuses:" + (answers.bonuses ? "" : " []"));
    for (let i = 1; i <= answers.bonuses; i++) {
      lines.push(`    - strength: ${quoted(`请写明第 ${i} 项领先的做法`)}`, `      evidence: ${quoted("请写明证据")}`);
    }
    return lines.join("\n") + "\n" + starter.readiness_kept;
  }

  function arrangementsOf(body, starter, na) {
    const lead = body.slice(0, body.indexOf("arrangements:"));
    const lines = ["arrangements:"];
    for (const [name, service] of Object.entries(starter.arrangements)) {
      lines.push(`  ${name}:`);
      if (na.has(name)) lines.push("    provided: false", `    excluded_reason: ${quoted("本企业不提供此项服务（请写明理由）")}`);
      else if (service.provided) lines.push("    provided: true", `    description: ${quoted(service.description)}`);
      else lines.push("    provided: false", `    excluded_reason: ${quoted(service.excluded_reason)}`);
    }
    return lead + lines.join("\n") + "\n";
  }

  function render(rules, root, out) {
    const { answers, wrong } = readAnswers(rules, root);
    out.replaceChildren();
    wrong.push(...problems(rules, answers));
    if (wrong.length) {
      out.appendChild(el("p", { class: "selfcheck-problem", text: "请先核对：" }));
      out.appendChild(el("ul", {}, wrong.map((w) => el("li", { text: w }))));
      return;
    }
    const a = assess(rules, answers);
    const score = hundredthsText(shown(a.score, a.thresholds));
    out.appendChild(el("p", { class: "selfcheck-score" }, [
      el("strong", { text: `自评得分 ${score} 分` }), document.createTextNode("　等级："), el("strong", { text: a.level })]));
    const counted = rules.bonus.counted ? Math.min(answers.bonuses, rules.bonus.max) : 0;
    if (answers.bonuses > counted) {
      out.appendChild(el("p", { text: rules.bonus.counted ? `特别加分项填了 ${answers.bonuses} 项，按标准至多计 ${rules.bonus.max} 项。` : "按设置不计特别加分。" }));
    }
    if (a.bare !== null && a.bareLevel !== a.level) {
      const disputed = (rules.bonus.disputed || "").replace(/[。；，\s]+$/, "");
      out.appendChild(el("p", { text: `其中含特别加分 ${hundredthsText(shown(a.bonus, []))} 分${disputed ? `（${disputed}）` : ""}。不计加分时为 ${hundredthsText(shown(a.bare, a.thresholds))} 分、${a.bareLevel}。` }));
    }
    // five or more special deductions fail whatever the score: the way out is to correct them first
    const scoreLevel = levelFor(rules, a.score, 0);
    let target = a.next ? a.next.name : null;
    if (a.mustFix) {
      out.appendChild(el("p", { text: `特别扣分 ${a.deductions} 项，${rules.deduction.fail_at} 项及以上不通过，无论得分：须先整改至少 ${a.mustFix} 项。` }));
      if (!target && scoreLevel !== rules.fail_name) target = scoreLevel;
    }
    if (!target) { if (!a.mustFix) out.appendChild(el("p", { text: "已达到最高等级。" })); }
    else {
      const route = pathTo(rules, a, target);
      const short = a.next && a.next.name === target ? `离${target}还差 ${hundredthsText(a.next.needed)} 分` : `要评${target}`;
      if (!route.reachable) {
        out.appendChild(el("p", { text: `${short}：整改全部失分项也达不到。` }));
      } else {
        out.appendChild(el("p", { text: `${short}。最省力的整改（按估计工作量）：` }));
        const fixes = route.actions.filter((t) => t.deduction), items = route.actions.filter((t) => !t.deduction).map((t) =>
          el("li", { text: `${t.key} ${t.title}：${t.action}（+${hundredthsText(t.points)} 分，约 ${t.effort} 人日）` }));
        if (fixes.length) {
          const each = fixes[0];
          items.unshift(el("li", { text: `整改特别扣分项 ${fixes.length} 项并保留记录（每项 +${hundredthsText(each.points)} 分，约 ${each.effort} 人日）` }));
        }
        out.appendChild(el("ol", {}, items));
        if (route.after) out.appendChild(el("p", { text: `完成后约 ${hundredthsText(shown(route.after, a.thresholds))} 分、${route.afterLevel}，合计约 ${route.effort} 人日。` }));
      }
    }
    if (window.AFTERSALES_STARTER) {
      const yaml = starterOf(rules, window.AFTERSALES_STARTER, answers);
      const link = el("a", { href: "#", download: "企业档案.yaml", text: "下载为起步企业档案（YAML，自评即以上回答）" });
      link.addEventListener("click", () => { link.href = URL.createObjectURL(new Blob([yaml], { type: "text/yaml" })); });
      out.appendChild(el("p", {}, [link]));
    }
  }

  function build(rules, root) {
    const form = el("form", { class: "selfcheck-form" });
    for (const group of rules.groups) {
      form.appendChild(el("h3", { text: `${group.id} ${group.title}` }));
      for (const clause of rules.clauses.filter((c) => c.id.startsWith(group.id + "."))) {
        const options = STATUSES.filter(([value]) => value !== "na" || clause.excludable).map(([value, label]) =>
          el("label", {}, [el("input", Object.assign({ type: "radio", name: `s-${clause.id}`, value },
            value === "implemented" ? { checked: "checked" } : {})), document.createTextNode(label)]));
        const row = el("fieldset", { class: "selfcheck-clause", "data-clause": clause.id }, [
          el("legend", { text: `${clause.id} ${clause.title}（${clause.points.replace("/", "÷")} 分${clause.provisional ? "*" : ""}）` }),
          ...options]);
        if (clause.sampled) {
          row.appendChild(el("label", {}, [document.createTextNode("抽查样本数"),
            el("input", { type: "text", inputmode: "numeric", value: "", "data-checked": clause.id })]));
          row.appendChild(el("label", {}, [document.createTextNode("其中不符合"),
            el("input", { type: "text", inputmode: "numeric", value: "", "data-bad": clause.id })]));
        }
        form.appendChild(row);
      }
    }
    form.appendChild(el("fieldset", { class: "selfcheck-clause" }, [
      el("legend", { text: "特别扣分与加分" }),
      el("label", {}, [document.createTextNode("特别扣分项"), el("input", { type: "text", inputmode: "numeric", value: "0", "data-deductions": "" })]),
      el("label", {}, [document.createTextNode("特别加分项"), el("input", { type: "text", inputmode: "numeric", value: "0", "data-bonuses": "" })])]));
    if (rules.year_rule) {
      form.appendChild(el("label", {}, [el("input", { type: "checkbox", "data-year": "" }), document.createTextNode("已获达标证书满一年")]));
    }
    const out = el("div", { class: "selfcheck-result", "aria-live": "polite" });
    root.replaceChildren(out, form);
    form.addEventListener("input", () => render(rules, root, out));  // radios and boxes both send it
    render(rules, root, out);
  }

  window.AftersalesSelfCheck = { compute, starter: (answers) => starterOf(window.AFTERSALES_SELFCHECK, window.AFTERSALES_STARTER, answers) };
  const root = document.getElementById("selfcheck");
  if (root && window.AFTERSALES_SELFCHECK) build(window.AFTERSALES_SELFCHECK, root);
})();
