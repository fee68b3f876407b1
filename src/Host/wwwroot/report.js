// The web intake form (src/Host/Api/WebIntake.cs). Text only (textContent), never innerHTML: everything shown
// comes back from the server but started as what a member of the public typed.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const show = (id, text) => { $(id).textContent = text; $(id).hidden = !text; };

  $("anonymous").addEventListener("change", () => {
    $("name").disabled = $("anonymous").checked;
    if ($("anonymous").checked) $("name").value = "";
  });

  $("report").addEventListener("submit", async e => {
    e.preventDefault();
    $("error").textContent = "";
    show("emergency", "");
    $("result").hidden = true;
    // The same first checks as the server, so a citizen is told at once; the server checks again.
    if (!$("description").value.trim()) { $("error").textContent = "请填写诉求内容。"; $("description").focus(); return; }
    if (!$("phone").value.trim()) { $("error").textContent = "请填写联系电话，查询进度时需要。"; $("phone").focus(); return; }
    const body = {
      description: $("description").value,
      location: $("location").value || null,
      title: $("title").value || null,
      phone: $("phone").value,
      callerName: $("anonymous").checked ? null : ($("name").value || null),
      anonymous: $("anonymous").checked,
      confidential: $("confidential").checked,
    };
    $("submit").disabled = true;
    let response;
    try {
      response = await fetch("/api/intake/requests", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    } catch {
      $("error").textContent = "网络错误，请稍后再试。";
      return;
    } finally {
      $("submit").disabled = false;
    }
    if (response.status === 429) { $("error").textContent = "提交过于频繁，请一分钟后再试。"; return; }
    let answer = null;
    try { answer = await response.json(); } catch { /* not JSON: the generic message below */ }
    if (!response.ok || !answer) { $("error").textContent = (answer && answer.error) || "提交失败，请稍后再试。"; return; }
    if (answer.emergency) show("emergency", answer.advice);
    $("status").textContent = answer.statusName;
    $("code").textContent = answer.queryCode;
    $("category").textContent = answer.category || "待人工分类";
    $("department").textContent = answer.department || "待人工确定";
    $("progress").href = answer.progressUrl || "/progress";
    $("result").hidden = false;
    $("report").reset();
    $("name").disabled = false;
  });
})();
