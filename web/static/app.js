// Gatehouse progressive enhancement. Every page works without this file.
(function () {
  "use strict";

  // Copy buttons: show them (they are hidden without JS) and copy the target's text.
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    var target = document.getElementById(btn.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) return;
    btn.hidden = false;
    var label = btn.textContent;
    btn.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        btn.textContent = btn.getAttribute("data-copied") || "✓";
        setTimeout(function () { btn.textContent = label; }, 1500);
      });
    });
  });

  // MFA step: countdown to the next 30-second code, and refuse the same code twice.
  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var tick = function () {
      var left = 30 - (Math.floor(Date.now() / 1000) % 30);
      countdown.textContent = left;
    };
    tick();
    setInterval(tick, 1000);
    countdown.parentElement.hidden = false;
  }
  var mfaForm = document.querySelector("form[data-mfa-form]");
  if (mfaForm) {
    mfaForm.addEventListener("submit", function (ev) {
      var c1 = mfaForm.querySelector("[name=code1]"), c2 = mfaForm.querySelector("[name=code2]");
      var msg = mfaForm.querySelector("[data-same-code]");
      if (c1 && c2 && c1.value.trim() !== "" && c1.value.trim() === c2.value.trim()) {
        ev.preventDefault();
        if (msg) { msg.hidden = false; }
        // The server's message about an earlier try no longer applies.
        document.querySelectorAll("[data-testid=form-error]").forEach(function (el) { el.hidden = true; });
        c2.focus();
      }
    });
    // Typing again: the message about the same code no longer applies.
    mfaForm.addEventListener("input", function () {
      var msg = mfaForm.querySelector("[data-same-code]");
      if (msg) { msg.hidden = true; }
    });
  }

  // Forms that change something (set a password, create an MFA device):
  // one submit per page, so a double click cannot run the action twice.
  var onceForms = document.querySelectorAll("form[data-once]");
  onceForms.forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (form.getAttribute("data-sent")) { ev.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
    });
  });
  // Esc closes an open menu and gives the focus back to its button; with
  // no account menu open, it closes the narrow screen's Menu.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    var open = document.querySelectorAll("details.menu[open]");
    if (open.length === 0) {
      open = Array.prototype.filter.call(document.querySelectorAll("details.navmenu[open]"), function (menu) {
        return menu.querySelector("summary").getClientRects().length > 0;
      });
    }
    Array.prototype.forEach.call(open, function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  // A browser that cannot style a disclosure's content (::details-content)
  // would keep a wide screen's links behind the hidden Menu button: there
  // the menu stays open on a wide screen.
  var navmenu = document.querySelector("details.navmenu");
  if (navmenu && window.CSS && CSS.supports && !CSS.supports("selector(::details-content)")) {
    var wide = window.matchMedia("(min-width: 40.01rem)");
    var follow = function () { navmenu.open = wide.matches; };
    follow();
    if (wide.addEventListener) { wide.addEventListener("change", follow); }
  }
  // Back or Forward shows the page from the cache: its forms work again,
  // and a page of the invite flow (data-fresh) loads again, so it shows
  // where the setup stands now, not where it stood.
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted && document.body.hasAttribute("data-fresh")) {
      location.reload();
      return;
    }
    onceForms.forEach(function (form) { form.removeAttribute("data-sent"); });
  });
})();
