// The agent desktop (docs/agents.md "Agent desktop"). Plain script, no libraries: the hotline runs offline.
// Everything shown is set with textContent, never innerHTML: transcripts are what callers said.
"use strict";
const $ = id => document.getElementById(id);
const STATES = { Offline: "离线", Available: "空闲（等待来电）", Ringing: "振铃中", OnCall: "通话中", WrapUp: "话后处理", Paused: "小休" };
const TYPES = { Consultation: "咨询", Help: "求助", Complaint: "投诉", Report: "举报", Suggestion: "建议", Praise: "表扬" };
const STATUS = { Accepted: "受理", Dispatched: "受理并派单" };
const time = s => s ? new Date(s).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) : "—";

let events = null;      // the EventSource of this agent
let shownCall = null;   // the call id on screen; its form keeps the agent's edits until finalized
let draftVersion = null;
let wrapUp = null;      // { left: seconds at `at`, at: performance.now() }

async function api(method, path, body) {
  const response = await fetch(path, {
    method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  return { status: response.status, ok: response.ok, data };
}

function errorText(r) {
  const prefix = { 400: "输入有误", 401: "未登录或密码错误", 403: "无权操作", 404: "未找到", 409: "冲突" }[r.status] || "失败";
  return prefix + "：" + ((r.data && r.data.error) || "请求失败（" + r.status + "）");
}

// ---- login ----
$("login-form").addEventListener("submit", async e => {
  e.preventDefault();
  $("login-error").textContent = "";
  const r = await api("POST", "/api/desk/login", { agentId: $("agent-id").value.trim(), password: $("password").value });
  $("password").value = "";
  if (!r.ok) { $("login-error").textContent = r.status === 401 ? "工号或密码错误。" : errorText(r); return; }
  enter(r.data);
});

function enter(agent) {
  $("login").hidden = true;
  $("desk").hidden = false;
  $("who").hidden = false;
  $("agent-name").textContent = agent.name;
  $("agent-id-shown").textContent = agent.id;
  showState(agent);
  listen();
}

$("btn-logout").addEventListener("click", async () => {
  await api("POST", "/api/desk/logout");
  if (events) events.close();
  events = null;
  location.reload();
});

// ---- state ----
async function ask(state, reason) {
  $("state-error").textContent = "";
  const r = await api("POST", "/api/desk/state", { state, reason });
  if (!r.ok) { $("state-error").textContent = errorText(r); return; }
  showState(r.data);
}
$("btn-available").addEventListener("click", () => ask("Available"));
$("btn-pause").addEventListener("click", () => ask("Paused", $("pause-reason").value));
$("btn-offline").addEventListener("click", () => ask("Offline"));

function showState(agent) {
  $("state").textContent = STATES[agent.state] || agent.state;
  $("state").dataset.state = agent.state;
  $("pause-reason-shown").textContent = agent.state === "Paused" && agent.pauseReason ? "（" + agent.pauseReason + "）" : "";
  $("btn-available").textContent = agent.state === "WrapUp" ? "提前就绪" : "示闲（接听来电）";
  // Ringing and on a call the ACD decides; the buttons come back with wrap-up.
  const busy = agent.state === "Ringing" || agent.state === "OnCall";
  for (const id of ["btn-available", "btn-pause", "btn-offline"]) $(id).disabled = busy;
  wrapUp = agent.state === "WrapUp" && agent.wrapUpSecondsLeft != null ? { left: agent.wrapUpSecondsLeft, at: performance.now() } : null;
  tick();
}

// The countdown runs on this page's clock from the seconds left the server said, so a skewed PC clock does not matter.
function tick() {
  if (!wrapUp) { $("wrapup").hidden = true; return; }
  const left = Math.max(0, Math.ceil(wrapUp.left - (performance.now() - wrapUp.at) / 1000));
  $("wrapup").hidden = false;
  $("wrapup-seconds").textContent = String(left);
}
setInterval(tick, 250);

// ---- events ----
function listen() {
  if (events) events.close();
  events = new EventSource("/api/desk/events");
  events.addEventListener("state", e => showState(JSON.parse(e.data)));
  events.addEventListener("call", e => onCall(JSON.parse(e.data)));
  events.onerror = async () => {
    // EventSource reconnects by itself; a lost session (logout elsewhere, restart) shows the login again.
    const me = await api("GET", "/api/desk/me");
    if (me.status === 401) { events.close(); location.reload(); }
  };
}

async function onCall(ev) {
  if (ev.kind === "Offered" || shownCall !== ev.callId) await pop(ev.callId);
  if (shownCall !== ev.callId) return;
  if (ev.kind === "Answered") setCallStatus("已接通", true);
  if (ev.kind === "Ended") setCallStatus("已挂断", true);
}

// An answered call (on the line or in wrap-up) may be finalized once; a ringing one not yet.
function setCallStatus(text, answered) {
  const done = !$("finalize-result").hidden;
  $("call-status").textContent = text;
  $("finalize").disabled = !answered || done;
  $("finalize-hint").textContent = done ? "已提交" : answered ? "" : "接通后可提交";
}

// ---- screen pop ----
async function pop(callId) {
  const r = await api("GET", "/api/desk/calls/" + encodeURIComponent(callId));
  if (!r.ok) return;
  const p = r.data;
  if (shownCall === callId) return;   // the same call again (reconnect): keep the agent's edits
  shownCall = callId;
  draftVersion = p.draft ? p.draft.version : null;
  $("idle-hint").hidden = true;
  $("pop").hidden = false;
  $("finalize-result").hidden = true;
  $("finalize-error").textContent = "";
  $("pop-caller").textContent = p.caller || "未显示号码";
  $("pop-queue").textContent = p.queue;
  $("pop-at").textContent = time(p.at);
  $("pop-draft").textContent = p.draft ? p.draft.code + "（草稿）" : "无";
  $("pop-transcript").textContent = p.transcript || "（无转写）";
  const audio = $("pop-audio");
  audio.hidden = !p.recordingUrl;
  $("pop-no-audio").hidden = !!p.recordingUrl;
  if (p.recordingUrl) audio.src = p.recordingUrl; else audio.removeAttribute("src");
  showProposal(p.proposal);
  fill(p.draft, p.proposal, p.transcript);
  setCallStatus(p.answered ? "已接通" : "振铃中", p.answered);
}

function showProposal(proposal) {
  $("proposal").hidden = !proposal;
  $("no-proposal").hidden = !!proposal;
  const list = $("proposal-categories");
  const options = $("cat-options");
  if (!proposal) { list.replaceChildren(); options.replaceChildren(); return; }
  list.replaceChildren(...proposal.categories.map(c => {
    const li = document.createElement("li");
    const pick = document.createElement("button");
    pick.type = "button";
    pick.textContent = c.category + "（" + Math.round(c.probability * 100) + "%）";
    pick.title = "选用此分类";
    pick.addEventListener("click", () => { $("f-cat1").value = c.category; $("f-cat2").value = ""; $("f-cat3").value = ""; });
    li.append(pick);
    return li;
  }));
  if (proposal.categories.length === 0) { const li = document.createElement("li"); li.textContent = "（无分类模型）"; list.append(li); }
  options.replaceChildren(...proposal.categories.map(c => { const o = document.createElement("option"); o.value = c.category; return o; }));
  $("proposal-department").textContent = proposal.department;
  $("proposal-rule").textContent = proposal.departmentRule + "：" + proposal.departmentReason;
  $("proposal-urgency").textContent = proposal.urgent ? "紧急（" + proposal.urgencyScore + "）" : "一般";
  $("proposal-emergency").textContent = proposal.emergency ? "是，请转 " + (proposal.emergencyService || "110/119/120") : "否";
  $("proposal-type").textContent = (TYPES[proposal.type] || proposal.type) + "（置信度 " + Math.round(proposal.typeConfidence * 100) + "%）";
  const similar = $("proposal-similar");
  similar.replaceChildren(...proposal.similarOrders.map(s => {
    const li = document.createElement("li");
    li.textContent = "工单 " + s.orderId + "（相似度 " + Math.round(s.score * 100) + "%" + (s.isOpen ? "，办理中" : "") + "）"
      + (s.orderId === proposal.proposedDuplicate ? " — 疑似重复" : "");
    return li;
  }));
  if (proposal.similarOrders.length === 0) { const li = document.createElement("li"); li.textContent = "无"; similar.append(li); }
}

// Prefill: the text from the draft (or the transcript), the classification from intake's proposal (or the draft's).
function fill(draft, proposal, transcript) {
  $("f-title").value = draft ? draft.title : (transcript || "").slice(0, 30);
  $("f-description").value = draft ? draft.description : (transcript || "");
  const top = proposal && proposal.categories.length > 0 ? proposal.categories[0].category : null;
  const category = top ? { level1: top } : (draft && draft.category) || {};
  $("f-cat1").value = category.level1 || "";
  $("f-cat2").value = category.level2 || "";
  $("f-cat3").value = category.level3 || "";
  $("f-department").value = proposal ? proposal.department : (draft && draft.department) || "";
  $("f-urgency").value = proposal ? (proposal.urgent || proposal.emergency ? "Urgent" : "Normal") : (draft ? draft.urgency : "Normal");
  $("f-type").value = proposal ? proposal.type : (draft ? draft.type : "Consultation");
  $("f-status").value = "Accepted";
  $("f-note").value = "";
}

// ---- finalize ----
$("order-form").addEventListener("submit", async e => {
  e.preventDefault();
  if (!shownCall) return;
  $("finalize-error").textContent = "";
  $("finalize").disabled = true;
  const level1 = $("f-cat1").value.trim();
  const body = {
    title: $("f-title").value, description: $("f-description").value,
    category: level1 ? { level1, level2: $("f-cat2").value.trim() || null, level3: $("f-cat3").value.trim() || null } : null,
    department: $("f-department").value, urgency: $("f-urgency").value, type: $("f-type").value,
    status: $("f-status").value, expectedVersion: draftVersion, note: $("f-note").value || null,
  };
  const r = await api("POST", "/api/desk/calls/" + encodeURIComponent(shownCall) + "/finalize", body);
  if (!r.ok) { $("finalize-error").textContent = errorText(r); $("finalize").disabled = false; return; }
  $("result-status").textContent = STATUS[r.data.status] || r.data.status;
  $("result-code").textContent = r.data.code;
  $("finalize-result").hidden = false;
  $("finalize-hint").textContent = "已提交";
  $("pop-draft").textContent = r.data.code + "（" + (STATUS[r.data.status] || r.data.status) + "）";
});

// A reload keeps the session (cookie): go straight to the desk.
api("GET", "/api/desk/me").then(r => { if (r.ok) enter(r.data); });
