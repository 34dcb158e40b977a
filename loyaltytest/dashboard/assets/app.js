// The dashboard's script: it refreshes the parts of the page from the
// server (which renders them) and sends actions to the admin API. It
// builds no HTML from data: every value is escaped by the server.
"use strict";
(function () {
  const admin = document.body.dataset.admin;
  const flash = document.getElementById("flash");
  const live = document.getElementById("live");

  function say(text) { flash.textContent = text; }

  function query(part) {
    const id = part.dataset.filter;
    if (!id) return "";
    const form = document.getElementById(id);
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v !== "") q.set(k, v);
    const s = q.toString();
    return s ? "?" + s : "";
  }

  async function refresh(part) {
    const r = await fetch(part.dataset.src + query(part), { cache: "no-store", credentials: "same-origin" });
    if (!r.ok) return;
    const html = await r.text();
    const open = new Set([...part.querySelectorAll("details[open]")].map(d => d.dataset.key));
    part.innerHTML = html;
    for (const d of part.querySelectorAll("details")) if (open.has(d.dataset.key)) d.open = true;
  }

  function refreshAll() {
    return Promise.all([...document.querySelectorAll("[data-part]")].map(p => refresh(p).catch(() => {})));
  }

  async function send(method, url, body) {
    const r = await fetch(url, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? "{}" : body,
    });
    let msg = r.status + " " + r.statusText;
    try { const j = await r.json(); if (j.error) msg += ": " + j.error; else if (j.message) msg += ": " + j.message; } catch (e) {}
    say(method + " " + url.replace(admin, "") + " → " + msg);
    await refreshAll();
    return r.ok;
  }

  document.addEventListener("click", ev => {
    const b = ev.target.closest("[data-action]");
    if (!b) return;
    if (b.dataset.confirm && !window.confirm(b.dataset.confirm)) return;
    send(b.dataset.action, b.dataset.url, b.dataset.body);
  });

  document.getElementById("fault-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const fault = { times: Number(f.get("times")) || 1 };
    for (const k of ["method", "route", "path", "delay"]) if (f.get(k)) fault[k] = f.get(k);
    const answer = f.get("answer");
    if (answer === "drop") fault.drop = true;
    else if (answer !== "delay") fault.status = Number(answer);
    if (f.get("when") === "after") fault.afterApply = true;
    send("POST", admin + "/faults", JSON.stringify(fault));
  });

  document.getElementById("seed-file").addEventListener("change", async ev => {
    const file = ev.target.files[0];
    if (!file) return;
    await send("POST", admin + "/seed", await file.text());
    ev.target.value = "";
  });

  document.getElementById("request-filter").addEventListener("input", () => {
    refresh(document.querySelector('[data-part="requests"]'));
  });

  // One refresh at a time: on a slow fake the next tick waits for the last
  // one instead of piling requests up.
  let refreshing = false;
  setInterval(() => {
    if (refreshing || !live.checked || document.hidden) return;
    refreshing = true;
    refreshAll().finally(() => { refreshing = false; });
  }, 1000);
})();
